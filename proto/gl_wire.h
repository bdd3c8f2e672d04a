/*  gl_wire.h: the gidlint wire protocol, shared by gidlintd and the client.
 *
 *  Every message is one MessagePack map with string keys, carrying "v" (the
 *  protocol version, GL_WIRE_VERSION) and "type".  docs/protocol.md is the
 *  specification; this module is its only C implementation.  It links
 *  msgpack-c and the engine, never ZeroMQ: framing (topics, envelopes) is
 *  the daemon's and the client's business.
 *
 *  Decoding treats every byte as hostile: the input is pre-scanned (nesting
 *  depth, every declared length and count bounded by the bytes left) before
 *  msgpack-c unpacks it, then every field is type-checked.  A bad message is
 *  never a crash; it is GL_EPROTO with a gl_wire_error_t that says what was
 *  wrong and which GID0xx code the reject carries.
 *
 *  Ownership: a decoded request or message borrows from the input buffer
 *  and owns a msgpack zone; both must outlive its use, and it is released
 *  with gl_wire_req_fini() / gl_wire_msg_fini().
 */
#ifndef GL_WIRE_H_INCLUDED
#define GL_WIRE_H_INCLUDED

#include "gidlint/gidlint.h"

#include <msgpack.h>

#define GL_WIRE_VERSION 1

/*  Defaults of the limits a decoder enforces.                              */
#define GL_WIRE_MAX_DEPTH 16
#define GL_WIRE_MAX_ID 256              /* bytes of id, name, source       */

typedef struct {
    size_t max_message;         /* whole message, bytes                     */
    size_t max_body;            /* the document's bytes (GID003 beyond)     */
    size_t max_depth;           /* nesting of maps and arrays               */
} gl_wire_limits_t;

/*  What a reject says: the diagnostic code (GID001/002/003/004) and why,
 *  in both languages (plain text, NUL-terminated).                        */
typedef struct {
    const char *code;
    char why_zh[256];
    char why_en[256];
} gl_wire_error_t;

typedef enum {
    GL_WIRE_REQ_DOCUMENT = 1,   /* "document": lint this (ingest or control) */
    GL_WIRE_REQ_HEALTH,         /* "health": control only                    */
    GL_WIRE_REQ_STATS,          /* "stats": control only                     */
    GL_WIRE_REQ_REPLAY          /* "replay": control only, results by seq    */
} gl_wire_req_kind_t;

#define GL_WIRE_MAX_TOPICS 16   /* topic prefixes of a replay request        */

/*  A decoded request.  Strings are not NUL-terminated: use the lengths.
 *  A field that is absent has a NULL pointer.                              */
typedef struct {
    gl_wire_req_kind_t kind;
    const char *id;             /* producer-chosen id (required)             */
    size_t id_len;
    const char *name;           /* optional file name                        */
    size_t name_len;
    const char *source;         /* optional producer name                    */
    size_t source_len;
    const uint8_t *body;        /* the raw document bytes (bin)              */
    size_t body_len;
    gl_lang_t lang;             /* "zh" (default) or "en"                    */
    msgpack_object meta;        /* echoed back; MSGPACK_OBJECT_NIL if absent */
    /* replay: the seq range [from, to], the epoch it is of (0: whichever
     * is current) and the topic prefixes wanted (none: every message). */
    uint64_t from, to, epoch;
    size_t n_topics;
    const msgpack_object *topics;       /* n_topics str objects          */
    msgpack_unpacked unpacked;  /* owns the zone the objects live in         */
} gl_wire_req_t;

/*  Decodes one request.  On GL_EPROTO, err says why, and req->id (and
 *  source) are still set when they could be read, so the reject can name
 *  the document.  Call gl_wire_req_fini() in every case.                   */
gl_err_t gl_wire_decode_req (const void *buf, size_t len,
                             const gl_wire_limits_t *limits,
                             gl_wire_req_t *req, gl_wire_error_t *err);
void gl_wire_req_fini (gl_wire_req_t *req);

/*  ---------------------------------------------------------------------
 *  Encoding.  Every encoder appends one message to sb (msgpack_sbuffer,
 *  caller-owned) and returns 0, or -1 when out of memory.                 */

/*  A document, as a producer sends it.                                     */
typedef struct {
    const char *id;
    const void *body;
    size_t body_len;
    const char *name;           /* NULL: absent                              */
    const char *source;         /* NULL: absent                              */
    const char *lang;           /* NULL: absent ("zh")                       */
    const msgpack_object *meta; /* NULL: absent                              */
} gl_wire_doc_t;

int gl_wire_encode_document (msgpack_sbuffer *sb, const gl_wire_doc_t *doc);
int gl_wire_encode_health_req (msgpack_sbuffer *sb);
int gl_wire_encode_stats_req (msgpack_sbuffer *sb);
/*  epoch 0: whichever epoch the daemon is in; topics may be NULL.          */
int gl_wire_encode_replay_req (msgpack_sbuffer *sb, uint64_t from,
                               uint64_t to, uint64_t epoch,
                               const char *const *topics, size_t n_topics);

/*  Every result and reject is a map16 (header 0xde + 2 bytes) whose first
 *  entry is "seq" (fixstr, 4 bytes) as a full uint64 (0xcf + 8 bytes), so
 *  the 8 bytes of the value start at GL_WIRE_SEQ_OFFSET, and the daemon can
 *  number messages in publication order after a worker has encoded them.  */
#define GL_WIRE_SEQ_OFFSET 8
void gl_wire_patch_seq (void *buf, size_t len, uint64_t seq);

typedef struct {
    uint64_t epoch;             /* changes each time the daemon starts       */
    const char *daemon;         /* the daemon's name                         */
    double received;            /* Unix time the daemon received it, seconds */
    double processing_ms;       /* decode + lint + encode                     */
    const gl_wire_req_t *req;   /* id, name, source, meta                    */
    const gl_doc_t *doc;        /* the linted document                       */
} gl_wire_result_t;

int gl_wire_encode_result (msgpack_sbuffer *sb, const gl_wire_result_t *r);

typedef struct {
    uint64_t epoch;
    const char *daemon;
    double received;
    const gl_wire_req_t *req;   /* may be partly read; id/source if set      */
    const gl_wire_error_t *err;
    gl_lang_t lang;
} gl_wire_reject_t;

int gl_wire_encode_reject (msgpack_sbuffer *sb, const gl_wire_reject_t *r);

/*  Periodic and on-request counters.                                       */
#define GL_WIRE_MAX_CODES 64
typedef struct {
    uint64_t epoch;
    const char *daemon;
    double now;                 /* Unix time                                 */
    double uptime;              /* seconds                                   */
    uint64_t received, linted, rejected, published;
    uint64_t seq;               /* the last seq published in this epoch      */
    uint64_t in_flight;         /* taken, not yet published                  */
    uint64_t workers;
    uint64_t resent;            /* control documents answered again          */
    uint64_t refused;           /* control requests over the rate limit      */
    uint64_t replays;           /* replay requests answered                  */
    uint64_t ring_first, ring_last, ring_bytes;     /* what replay can give  */
    double latency_p50_ms, latency_p99_ms, latency_max_ms;
    size_t n_codes;
    const char *codes[GL_WIRE_MAX_CODES];
    uint64_t code_counts[GL_WIRE_MAX_CODES];
} gl_wire_stats_t;

int gl_wire_encode_stats (msgpack_sbuffer *sb, const gl_wire_stats_t *s);
int gl_wire_encode_health (msgpack_sbuffer *sb, uint64_t epoch,
                           const char *daemon, bool accepting);

/*  The first frame of the answer to a replay request; the messages
 *  themselves follow as (topic, body) frame pairs, the bytes that were
 *  published.  gone: ranges of [from, to] the daemon no longer holds.      */
#define GL_WIRE_MAX_GONE 64
typedef struct {
    uint64_t epoch;
    const char *daemon;
    uint64_t from, to;          /* as asked                                  */
    uint64_t first, last;       /* oldest seq held (0: none), newest published */
    uint64_t count;             /* messages that follow                      */
    uint64_t next;              /* 0: complete; else ask again from here     */
    bool other_epoch;           /* asked for an epoch that is not this one   */
    size_t n_gone;
    uint64_t gone[GL_WIRE_MAX_GONE][2];
} gl_wire_replay_t;

int gl_wire_encode_replay (msgpack_sbuffer *sb, const gl_wire_replay_t *r);

/*  A control request refused before any work (over the rate limit, or the
 *  daemon is stopping): nothing was taken, retry after retry_after_ms.     */
typedef struct {
    uint64_t epoch;
    const char *daemon;
    const gl_wire_req_t *req;   /* id/source if they could be read           */
    const char *reason;         /* "rate", "stopping"                        */
    const char *why_zh, *why_en;
    uint64_t retry_after_ms;
} gl_wire_refused_t;

int gl_wire_encode_refused (msgpack_sbuffer *sb, const gl_wire_refused_t *r);

/*  Strings from the input in reasons (docs/protocol.md, "Limits and
 *  rejects").  gl_wire_quote() writes a short, printable quotation of the
 *  n bytes at s into out: printable UTF-8 is copied, control characters,
 *  '"', '\\' and bytes that are not UTF-8 become \xNN, and more than
 *  GL_WIRE_QUOTE_BYTES bytes are cut with an ellipsis; out must hold
 *  GL_WIRE_QUOTE_CAP bytes.  gl_wire_printable() says whether all n bytes
 *  would be copied as they are.                                            */
#define GL_WIRE_QUOTE_BYTES 24
#define GL_WIRE_QUOTE_CAP (GL_WIRE_QUOTE_BYTES * 4 + 8)
void gl_wire_quote (char *out, size_t cap, const void *s, size_t n);
bool gl_wire_printable (const void *s, size_t n);

/*  ---------------------------------------------------------------------
 *  Reading any message (client side): the map and its type.                */

typedef struct {
    const char *type;           /* "result", "reject", "stats", "health" …   */
    size_t type_len;
    msgpack_object root;        /* the map                                   */
    msgpack_unpacked unpacked;
} gl_wire_msg_t;

gl_err_t gl_wire_decode_msg (const void *buf, size_t len,
                             const gl_wire_limits_t *limits,
                             gl_wire_msg_t *msg, gl_wire_error_t *err);
void gl_wire_msg_fini (gl_wire_msg_t *msg);

/*  Map lookups on decoded objects: NULL when absent or of another type.   */
const msgpack_object *gl_wire_get (const msgpack_object *map, const char *key);
bool gl_wire_get_str (const msgpack_object *map, const char *key,
                      const char **s, size_t *len);
bool gl_wire_get_u64 (const msgpack_object *map, const char *key,
                      uint64_t *v);
bool gl_wire_get_i64 (const msgpack_object *map, const char *key,
                      int64_t *v);
bool gl_wire_get_f64 (const msgpack_object *map, const char *key, double *v);

#endif
