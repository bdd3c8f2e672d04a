/*  gl_ring.h: the most recent published messages, by seq and by document.
 *
 *  gidlintd numbers every result and reject it publishes (seq 1, 2, …) and
 *  keeps the last ones here, bounded by a count and by bytes, for two uses:
 *
 *    replay   a subscriber that saw a gap asks for a seq range over the
 *             control socket and gets the very bytes that were published;
 *    dedup    a producer that resends a document (the same message:
 *             source, id, content and options; its key) gets the answer
 *             again without a second lint, while the ring still holds it.
 *
 *  The messages are copied into one circular buffer of max_bytes, written
 *  like a log (Redis keeps its replication backlog the same way): no
 *  allocation per message, no fragmentation of the heap by thousands of
 *  small long-lived blocks, and the memory the ring holds is the buffer's
 *  pages, the same after a million messages as after the first lap.
 *  Seqs are consecutive, so the slot of seq s in the entry table is
 *  s % capacity and a lookup by seq is one index.  Keys are found through
 *  an open-addressing table (linear probing, backward-shift deletion) of
 *  twice the capacity.
 */
#ifndef GL_RING_H_INCLUDED
#define GL_RING_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gl_ring gl_ring_t;

typedef struct {
    uint64_t seq;
    uint64_t key;
    const char *topic;          /* not NUL-terminated                        */
    size_t topic_len;
    const void *data;           /* the message as published                  */
    size_t size;
} gl_ring_entry_t;

/*  A ring of at most capacity messages in a buffer of max_bytes (topics
 *  and messages).  NULL when out of memory.                                */
gl_ring_t *gl_ring_new (size_t capacity, size_t max_bytes);
void gl_ring_destroy (gl_ring_t **ring);

/*  Keeps a copy of the message (data, size) published under topic as seq,
 *  which must be above the last put (after a skipped seq the ring starts
 *  anew).  The oldest messages go first to make room.  Returns 0, or -1
 *  when seq is not above the last or the message is larger than the whole
 *  buffer (the ring is then empty, and goes on from the next seq).         */
int gl_ring_put (gl_ring_t *ring, uint64_t seq, uint64_t key,
                 const char *topic, size_t topic_len, const void *data,
                 size_t size);

/*  The message seq into *e (valid until the next put); false when it is
 *  not (or no longer) held.                                                */
bool gl_ring_get (const gl_ring_t *ring, uint64_t seq, gl_ring_entry_t *e);

/*  The message put with key (not 0) into *e; false when none.              */
bool gl_ring_find (const gl_ring_t *ring, uint64_t key, gl_ring_entry_t *e);

/*  The oldest seq held (0 when empty), the newest, and the bytes held.     */
uint64_t gl_ring_first (const gl_ring_t *ring);
uint64_t gl_ring_last (const gl_ring_t *ring);
size_t gl_ring_bytes (const gl_ring_t *ring);

/*  The key of a document: source, id and message together, as a 64-bit
 *  non-cryptographic hash, never 0.  Two different documents share a key
 *  with a chance of about 2^-64 a pair: nil for a ring of thousands.      */
uint64_t gl_ring_key (const void *source, size_t source_len, const void *id,
                      size_t id_len, const void *body, size_t body_len);

#endif
