import * as Y from 'yjs';

/**
 * A Y.Doc for the server's own use: a live document, its twin, its presence, a stored document read back.
 *
 * Given a fixed guid because, without one, Yjs makes a random UUID from 32 separate requests for random
 * numbers: about 0.15 ms per document here (0.007 ms with a guid), paid on every load and every first write,
 * and by every document at once when clients come back after a restart. A guid only tells subdocuments
 * apart, which the server never holds; the document's client id stays random.
 */
export function newServerDoc(): Y.Doc {
  return new Y.Doc({ guid: 'polyphony-server' });
}
