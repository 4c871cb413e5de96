import { describe, expect, it } from 'vitest';
import { emailOf, inviteMessage, mailtoLink, phoneOf, smsLink } from './inviteMessage.ts';

const URL_ = 'https://polyphony.example/i/abc.def';

describe('the message that goes with a personal link', () => {
  it('greets the member, gives the link and the next meeting, and asks them to keep it to themselves', () => {
    const { subject, body } = inviteMessage({ name: 'Maria', url: URL_, nextMeeting: 'Thursday 3 December 2026 at 10:00 CET' });
    expect(subject).toBe('Your link to the network meetings');
    expect(body.split('\n')).toEqual([
      'Hello Maria,',
      '',
      'This is your own link to the network meetings. Open it on your phone or computer; you do not need an account or an app.',
      URL_,
      '',
      'The next meeting is on Thursday 3 December 2026 at 10:00 CET.',
      '',
      'Please keep the link to yourself: it is only for you.',
    ]);
  });

  it('says nothing of a next meeting when none is planned', () => {
    expect(inviteMessage({ name: 'Maria', url: URL_, nextMeeting: undefined }).body).not.toContain('next meeting');
  });

  it('fills in the number of an sms: link only from a contact that is a phone number', () => {
    const message = inviteMessage({ name: 'Sam & Kim', url: URL_, nextMeeting: undefined });
    expect(smsLink('+47 (912) 34-567', message)).toMatch(/^sms:\+4791234567\?body=Hello%20Sam%20%26%20Kim%2C/);
    expect(smsLink('sam@example.org', message)).toMatch(/^sms:\?body=/);
    expect(smsLink(undefined, message)).toMatch(/^sms:\?body=/);
    expect(decodeURIComponent(smsLink(undefined, message).split('body=')[1] ?? '')).toBe(message.body);
  });

  it('fills in the address of a mailto: link only from a contact that is an email address', () => {
    const message = inviteMessage({ name: 'Omar', url: URL_, nextMeeting: undefined });
    const link = mailtoLink('omar@example.org', message);
    expect(link).toMatch(/^mailto:omar@example\.org\?subject=Your%20link%20to%20the%20network%20meetings&body=/);
    expect(new URLSearchParams(link.split('?')[1]).get('body')).toBe(message.body);
    expect(mailtoLink('+47 912 34 567', message)).toMatch(/^mailto:\?subject=/);
    // An address that would add its own query or headers is not taken as an address.
    expect(mailtoLink('a@b.org?bcc=x@y.org', message)).toMatch(/^mailto:\?subject=/);
  });

  it('tells a phone number or an address from other contact notes', () => {
    expect(phoneOf('912 34 567')).toBe('91234567');
    expect(phoneOf('call after 5')).toBeUndefined();
    expect(phoneOf('12')).toBeUndefined();
    expect(emailOf(' omar@example.org ')).toBe('omar@example.org');
    expect(emailOf('omar at example')).toBeUndefined();
  });
});
