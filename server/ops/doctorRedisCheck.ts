import { redisAppendOnly } from '../cluster/redisConnection.ts';
import { redisHostPort, type RedisAddress } from '../cluster/redisUrl.ts';
import { failed, passed, type DoctorCheck } from './doctor.ts';

/**
 * With REDIS_URL: Redis answers with the given password (or the server would refuse to start), and keeps an
 * append-only file, without which a Redis restart makes LiveKit's nodes forget which of them holds each room.
 */
export async function checkRedis(address: RedisAddress, timeoutMs: number): Promise<DoctorCheck> {
  let appendOnly: boolean;
  try {
    appendOnly = await redisAppendOnly(address, timeoutMs);
  } catch (error) {
    return failed('redis', error instanceof Error ? error.message : String(error), 'Start Redis or correct REDIS_URL (host, port, password, database) so that this machine can connect.');
  }
  if (!appendOnly) {
    return failed('redis', `Redis at ${redisHostPort(address)} answers but keeps no append-only file: restarted, it forgets which LiveKit node holds each room.`, 'Set "appendonly yes" in redis.conf (or CONFIG SET appendonly yes, then CONFIG REWRITE) and restart Redis.');
  }
  return passed('redis', `Redis at ${redisHostPort(address)} answers and keeps an append-only file.`);
}
