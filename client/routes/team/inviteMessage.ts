/**
 * The short plain message that goes with a personal link, and the `sms:` and `mailto:` links that open it
 * ready to send on the team member's own phone or computer. It never names the person the network is about:
 * texts and emails pass through outside services.
 */
export function inviteMessage(input: { name: string; url: string; nextMeeting: string | undefined }): { subject: string; body: string } {
  const lines = [
    `Hello ${input.name},`,
    '',
    'This is your own link to the network meetings. Open it on your phone or computer; you do not need an account or an app.',
    input.url,
    ...(input.nextMeeting ? ['', `The next meeting is on ${input.nextMeeting}.`] : []),
    '',
    'Please keep the link to yourself: it is only for you.',
  ];
  return { subject: 'Your link to the network meetings', body: lines.join('\n') };
}

/** `sms:` link with the message; the number is filled in when the contact looks like a phone number. */
export function smsLink(contact: string | undefined, message: { body: string }): string {
  const phone = phoneOf(contact);
  // RFC 5724: sms:<number>?body=…; Android and iOS both open their messages app with the text in place.
  return `sms:${phone ?? ''}?body=${encodeURIComponent(message.body)}`;
}

/** `mailto:` link with subject and body; the address is filled in when the contact looks like one. */
export function mailtoLink(contact: string | undefined, message: { subject: string; body: string }): string {
  const email = emailOf(contact);
  return `mailto:${email ? encodeURIComponent(email).replace('%40', '@') : ''}?subject=${encodeURIComponent(message.subject)}&body=${encodeURIComponent(message.body)}`;
}

/** The contact as a dialable number (`+`, digits), when it is one; spaces, dashes and brackets are dropped. */
export function phoneOf(contact: string | undefined): string | undefined {
  const compact = contact?.replace(/[\s().-]/g, '') ?? '';
  return /^\+?\d{5,17}$/.test(compact) ? compact : undefined;
}

/** The contact as an email address, when it is one. */
export function emailOf(contact: string | undefined): string | undefined {
  const trimmed = contact?.trim() ?? '';
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : undefined;
}
