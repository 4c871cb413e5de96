import { createResource } from 'solid-js';
import type { TeamUser } from '../../shared/api/auth.ts';
import { api, ApiCallError } from './api.ts';

/** The logged-in team member, or undefined when nobody is (an invite holder never has a session). */
export function createTeamSession() {
  const [user, { mutate, refetch }] = createResource<TeamUser | undefined>(async () => {
    try {
      return (await api.session()).user;
    } catch (error) {
      if (error instanceof ApiCallError && (error.code === 'unauthorized' || error.code === 'forbidden')) return undefined;
      throw error;
    }
  });
  return { user, setUser: mutate, refetch };
}
