import { describe, expect, it } from 'vitest';
import {
  LEGACY_NAME_KEY,
  parseRememberedChoices,
  readRememberedChoices,
  REMEMBERED_CHOICES_KEY,
  rememberChoices,
  type ChoiceStorage,
} from './rememberedChoices.ts';

const NOTHING = { audioOnly: true, cameraId: undefined, microphoneId: undefined, speakerId: undefined, displayName: undefined };

/** An in-memory Web Storage, as a browser profile's localStorage behaves. */
function memoryStorage(entries: Record<string, string> = {}): ChoiceStorage & { entries: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    entries: map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}

describe('parseRememberedChoices', () => {
  it('keeps the camera off when nothing is remembered', () => {
    expect(parseRememberedChoices(null)).toEqual(NOTHING);
  });

  it('reads back what was stored', () => {
    const stored = { audioOnly: false, cameraId: 'cam-1', microphoneId: 'default', speakerId: 'spk-2', displayName: 'Mum and Dad' };
    expect(parseRememberedChoices(JSON.stringify(stored))).toEqual(stored);
  });

  it.each([
    ['text that is not JSON', '{"audioOnly": fal'],
    ['a JSON string', '"hello"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an array', '[false, "cam"]'],
    ['an empty string', ''],
  ])('treats %s as nothing remembered', (_, raw) => {
    expect(parseRememberedChoices(raw)).toEqual(NOTHING);
  });

  it('drops only the damaged fields, and a damaged camera choice means camera off', () => {
    const raw = JSON.stringify({ audioOnly: 'no', cameraId: 7, microphoneId: 'mic-3', speakerId: 'x'.repeat(5000), displayName: ['Sam'] });
    expect(parseRememberedChoices(raw)).toEqual({ ...NOTHING, microphoneId: 'mic-3' });
  });

  it('refuses a stored name the join form would refuse, and normalises one it accepts', () => {
    expect(parseRememberedChoices(JSON.stringify({ displayName: 'Dr Pat · practitioner' })).displayName).toBeUndefined();
    expect(parseRememberedChoices(JSON.stringify({ displayName: '  Sam   Lee ' })).displayName).toBe('Sam Lee');
  });

  it('ignores fields it does not know', () => {
    expect(parseRememberedChoices(JSON.stringify({ audioOnly: false, future: { a: 1 } }))).toEqual({ ...NOTHING, audioOnly: false });
  });

  it('falls back to the name an earlier version kept on its own', () => {
    expect(parseRememberedChoices(null, 'Robin').displayName).toBe('Robin');
    expect(parseRememberedChoices(JSON.stringify({ displayName: 'Kim' }), 'Robin').displayName).toBe('Kim');
    expect(parseRememberedChoices('broken{', 'Robin')).toEqual({ ...NOTHING, displayName: 'Robin' });
  });
});

describe('rememberChoices', () => {
  it('adds a change to what is already remembered, and moves the old name into the record', () => {
    const storage = memoryStorage({ [LEGACY_NAME_KEY]: 'Robin' });
    rememberChoices({ audioOnly: false }, storage);
    rememberChoices({ microphoneId: 'mic-2' }, storage);
    expect(readRememberedChoices(storage)).toEqual({ ...NOTHING, audioOnly: false, microphoneId: 'mic-2', displayName: 'Robin' });
    expect(storage.entries.has(LEGACY_NAME_KEY)).toBe(false);
  });

  it('overwrites a damaged record instead of failing on it', () => {
    const storage = memoryStorage({ [REMEMBERED_CHOICES_KEY]: '\u0000garbage' });
    rememberChoices({ speakerId: 'spk-1' }, storage);
    expect(readRememberedChoices(storage)).toEqual({ ...NOTHING, speakerId: 'spk-1' });
  });

  it('never throws when storage refuses to read or write (full, blocked)', () => {
    const refusing: ChoiceStorage = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => rememberChoices({ audioOnly: false }, refusing)).not.toThrow();
    expect(readRememberedChoices(refusing)).toEqual(NOTHING);
  });
});
