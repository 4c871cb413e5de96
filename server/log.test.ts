import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'test' }, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line: time, level, event, then the base fields and the line fields', () => {
    const { logger, lines } = capture();
    logger.warn('thing_happened', { count: 2 });
    expect(lines).toHaveLength(1);
    expect(Object.keys(lines[0] ?? {})).toEqual(['time', 'level', 'event', 'service', 'count']);
    expect(lines[0]).toMatchObject({ level: 'warn', event: 'thing_happened', service: 'test', count: 2 });
  });

  it('gives a child its parent fields plus its own, without changing the parent', () => {
    const { logger, lines } = capture();
    const child = logger.child({ component: 'sync' }).child({ docName: 'd' });
    child.info('a');
    logger.error('b');
    expect(lines[0]).toMatchObject({ level: 'info', event: 'a', service: 'test', component: 'sync', docName: 'd' });
    expect(lines[1]).toEqual({ time: lines[1]?.['time'], level: 'error', event: 'b', service: 'test' });
  });

  it('lets a line field override a base field of the same name', () => {
    const { logger, lines } = capture();
    logger.child({ conn: 'x' }).info('c', { conn: 'y' });
    expect(lines[0]?.['conn']).toBe('y');
  });
});
