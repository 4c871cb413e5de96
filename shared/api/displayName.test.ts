import { describe, expect, it } from 'vitest';
import { DisplayName } from './displayName.ts';

const accepted = (raw: string) => DisplayName.safeParse(raw);

describe('display names (finding: a member could call themselves "Dr Pat · practitioner")', () => {
  it.each([
    ['Dr Pat · practitioner'],
    ['Pat • peer worker'],
    ['Pat | team'],
    ['Pat — practitioner'],
    ['Pat – Team'],
    ['Pat: practitioner'],
    ['Pat (practitioner)'],
    ['Pat [team]'],
    ['Pat ｜ team'], // full-width bar
    ['Pat ∙ Sam'], // bullet operator
    ['Pat ・ Sam'], // katakana middle dot
    ['Pat ǀ Sam'], // Latin letter dental click, looks like a bar
    ['Pat ː Sam'], // modifier letter triangular colon
    ['Pat ꞉ Sam'], // modifier letter colon
    ['Pat ᐧ Sam'], // Canadian syllabics middle dot
    ['Pat │ Sam'], // box drawing
    ['Pat ● Sam'],
    ['Pat\u202e rentitcarp'], // right-to-left override
    ['Pat\u2066Sam\u2069'], // bidi isolates
    ['Pat\u200bSam'], // zero-width space
    ['Pat\u0007Sam'], // a control character
    ['Pat\u001b[31mSam'], // a terminal escape
  ])('refuses a name with a separator-looking or invisible character: %j', (raw) => {
    expect(accepted(raw).success).toBe(false);
  });

  it.each([['Pat practitioner'], ['Pat Practitioner.'], ['Sam peer worker'], ['Team'], ['Sam, team'], ['Pat-Practitioner'], ['Ana interpreter'], ['Nurse']])(
    'refuses a name that ends with a role word: %j',
    (raw) => {
      const result = accepted(raw);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/cannot end with/);
    },
  );

  it.each([
    ["Siobhán O'Brien", "Siobhán O'Brien"],
    ['Anne-Marie', 'Anne-Marie'],
    ['Mum and Dad', 'Mum and Dad'],
    ['Mum & Dad', 'Mum & Dad'],
    ['J. R. Smith', 'J. R. Smith'],
    ['  Nguyễn   Thị\tLan  ', 'Nguyễn Thị Lan'],
    ['محمد', 'محمد'],
    ['می\u200cخواهم', 'می\u200cخواهم'], // Persian needs the zero-width non-joiner
    ['李小龍', '李小龍'],
    ['ルーシー', 'ルーシー'],
    ['Ｐａｔ', 'Pat'], // full-width letters become ordinary ones
    ['Teamwork Tina', 'Teamwork Tina'],
  ])('accepts and normalises a real name: %j', (raw, shown) => {
    expect(DisplayName.parse(raw)).toBe(shown);
  });

  it('says plainly what is wrong', () => {
    expect(accepted('   ').error?.issues[0]?.message).toBe('Please enter your name.');
    expect(accepted('x'.repeat(61)).error?.issues[0]?.message).toBe('Please keep your name to 60 characters.');
    expect(accepted('Pat · Sam').error?.issues[0]?.message).toMatch(/letters, numbers, spaces/);
  });

  it('refuses combining marks piled up into a tall glyph', () => {
    expect(accepted(`Pat${'\u0301'.repeat(8)}`).success).toBe(false);
  });
});
