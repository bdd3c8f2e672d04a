/*  fuzz_wire.c: the wire decoder under libFuzzer, checking invariants, not
 *  only crashes.
 *
 *  Every input is decoded as a request and as any message, under two sets
 *  of limits (small ones, so that every limit is reached, and the default
 *  depth with room for a real document), and must give:
 *   (1) GL_OK or GL_EPROTO, nothing else: a bad message is never an
 *       internal error (the pre-scan keeps msgpack-c's allocations to a
 *       few bytes per input byte, so out of memory cannot happen here);
 *   (2) on GL_EPROTO, a code among GID002, GID003, GID004 and both reasons
 *       non-empty, valid UTF-8 and NUL-terminated inside their buffers;
 *       any id or source read still within the limits and inside the input;
 *   (3) on GL_OK, a request that obeys the protocol: a known kind; for a
 *       document an id of 1..256 bytes and a body of 1..max_body bytes,
 *       both inside the input; meta absent or a map; for a replay
 *       1 <= from <= to and at most 16 topics, each a str in the input;
 *   (4) a reject of any failed request, and a re-encoding of any decoded
 *       document, that decode again (the reject as a message naming the
 *       same code, the document as the same request);
 *   (5) gl_wire_req_fini() / gl_wire_msg_fini() always, twice: the
 *       sanitizers see leaks, double frees and overreads;
 *   (6) gl_wire_quote() of the input (what the broker does with a daemon
 *       name it cannot route): valid UTF-8 within GL_WIRE_QUOTE_CAP, no
 *       control character, and the input itself when that was printable
 *       (gl_wire_printable) and short.
 *
 *  Linked with -fsanitize=fuzzer it is a libFuzzer target (tests/fuzz/
 *  CMakeLists.txt); linked with replay_main.c it replays every file of a
 *  directory through the same checks, which is how CTest runs the seed corpus
 *  (fuzz_wire_replay) in every build.  Failures abort(): assert() would
 *  vanish under NDEBUG.
 */
#include "gl_wire.h"

#include "gl_fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const gl_wire_limits_t s_limits[2] = {
    { 4096, 256, 8 },
    { 65536 + 1024, 65536, GL_WIRE_MAX_DEPTH },
};

static bool
s_inside (const void *p, size_t n, const uint8_t *data, size_t size)
{
    const uint8_t *q = p;
    return q >= data && n <= size && q - data <= (ptrdiff_t) (size - n);
}

static bool
s_utf8 (const char *s)
{
    const uint8_t *p = (const uint8_t *) s;
    while (*p) {
        size_t k = *p < 0x80 ? 1 : *p >= 0xc2 && *p <= 0xdf ? 2
                 : *p >= 0xe0 && *p <= 0xef ? 3
                 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
        if (k == 0)
            return false;
        for (size_t i = 1; i < k; i++)
            if (p[i] < 0x80 || p[i] > 0xbf)
                return false;
        p += k;
    }
    return true;
}

/*  Invariant (2) on the reasons.                                           */
static void
s_check_err (const gl_wire_error_t *err)
{
    S_CHECK (err->code != NULL);
    S_CHECK (strcmp (err->code, "GID002") == 0
             || strcmp (err->code, "GID003") == 0
             || strcmp (err->code, "GID004") == 0);
    S_CHECK (memchr (err->why_zh, '\0', sizeof err->why_zh) != NULL);
    S_CHECK (memchr (err->why_en, '\0', sizeof err->why_en) != NULL);
    S_CHECK (err->why_zh[0] != '\0' && err->why_en[0] != '\0');
    S_CHECK (s_utf8 (err->why_zh) && s_utf8 (err->why_en));
}

/*  Copies n bytes into a NUL-terminated buffer the caller frees.           */
static char *
s_strndup (const char *s, size_t n)
{
    char *out = malloc (n + 1);
    S_CHECK (out != NULL);
    memcpy (out, s, n);
    out[n] = '\0';
    return out;
}

/*  a and b pack to the same bytes (msgpack_object_equal() would call two
 *  NaNs different).                                                        */
static void
s_same_object (const msgpack_object *a, const msgpack_object *b)
{
    msgpack_sbuffer sa, sb;
    msgpack_sbuffer_init (&sa);
    msgpack_sbuffer_init (&sb);
    msgpack_packer pa, pb;
    msgpack_packer_init (&pa, &sa, msgpack_sbuffer_write);
    msgpack_packer_init (&pb, &sb, msgpack_sbuffer_write);
    S_CHECK (msgpack_pack_object (&pa, *a) == 0);
    S_CHECK (msgpack_pack_object (&pb, *b) == 0);
    S_CHECK (sa.size == sb.size && memcmp (sa.data, sb.data, sa.size) == 0);
    msgpack_sbuffer_destroy (&sa);
    msgpack_sbuffer_destroy (&sb);
}

/*  Invariant (4) for a decoded document: encode it again and decode it.    */
static void
s_reencode (const gl_wire_req_t *req, const gl_wire_limits_t *lim)
{
    char *id = s_strndup (req->id, req->id_len);
    char *name = req->name ? s_strndup (req->name, req->name_len) : NULL;
    char *source = req->source ? s_strndup (req->source, req->source_len)
                               : NULL;
    gl_wire_doc_t doc = {
        .id = id, .body = req->body, .body_len = req->body_len,
        .name = name, .source = source,
        .lang = req->lang == GL_LANG_EN ? "en" : "zh",
        .meta = req->meta.type == MSGPACK_OBJECT_MAP ? &req->meta : NULL
    };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    S_CHECK (gl_wire_encode_document (&sb, &doc) == 0);
    /* The copy has the same size or less (ints may shrink), plus at most
     * the few bytes of an explicit lang: the same limits apply, but for
     * the message size.                                                  */
    gl_wire_limits_t big = *lim;
    big.max_message = sb.size;
    gl_wire_req_t again;
    gl_wire_error_t err;
    S_CHECK (gl_wire_decode_req (sb.data, sb.size, &big, &again, &err)
             == GL_OK);
    S_CHECK (again.kind == GL_WIRE_REQ_DOCUMENT);
    S_CHECK (again.id_len == req->id_len
             && memcmp (again.id, req->id, req->id_len) == 0);
    S_CHECK (again.body_len == req->body_len
             && memcmp (again.body, req->body, req->body_len) == 0);
    S_CHECK ((again.name == NULL) == (req->name == NULL));
    S_CHECK (again.name_len == req->name_len);
    S_CHECK ((again.source == NULL) == (req->source == NULL));
    S_CHECK (again.source_len == req->source_len);
    S_CHECK (again.lang == req->lang);
    S_CHECK (again.meta.type == req->meta.type);
    if (req->meta.type == MSGPACK_OBJECT_MAP)
        s_same_object (&again.meta, &req->meta);
    gl_wire_req_fini (&again);
    msgpack_sbuffer_destroy (&sb);
    free (id);
    free (name);
    free (source);
}

/*  Invariant (4) for a failed request: its reject is a valid message.      */
static void
s_reject (const gl_wire_req_t *req, const gl_wire_error_t *err)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_reject_t r = { .epoch = 1, .daemon = "fuzz", .received = 0.0,
                           .req = req, .err = err, .lang = req->lang };
    S_CHECK (gl_wire_encode_reject (&sb, &r) == 0);
    gl_wire_patch_seq (sb.data, sb.size, 7);
    gl_wire_msg_t msg;
    gl_wire_error_t err2;
    S_CHECK (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err2)
             == GL_OK);
    S_CHECK (msg.type_len == 6 && memcmp (msg.type, "reject", 6) == 0);
    uint64_t seq = 0;
    S_CHECK (gl_wire_get_u64 (&msg.root, "seq", &seq) && seq == 7);
    const msgpack_object *d = gl_wire_get (&msg.root, "diagnostic");
    const char *code;
    size_t code_len;
    S_CHECK (gl_wire_get_str (d, "code", &code, &code_len));
    S_CHECK (code_len == strlen (err->code)
             && memcmp (code, err->code, code_len) == 0);
    gl_wire_msg_fini (&msg);
    msgpack_sbuffer_destroy (&sb);
}

static void
s_one_req (const uint8_t *data, size_t size, const gl_wire_limits_t *lim)
{
    gl_wire_req_t req;
    gl_wire_error_t err;
    gl_err_t rc = gl_wire_decode_req (data, size, lim, &req, &err);
    S_CHECK (rc == GL_OK || rc == GL_EPROTO);
    if (req.id) {
        S_CHECK (req.id_len >= 1 && req.id_len <= GL_WIRE_MAX_ID);
        S_CHECK (s_inside (req.id, req.id_len, data, size));
    }
    if (req.source) {
        S_CHECK (req.source_len >= 1 && req.source_len <= GL_WIRE_MAX_ID);
        S_CHECK (s_inside (req.source, req.source_len, data, size));
        S_CHECK (memchr (req.source, '/', req.source_len) == NULL);
    }
    S_CHECK (req.lang == GL_LANG_ZH || req.lang == GL_LANG_EN);
    if (rc == GL_EPROTO) {
        s_check_err (&err);
        s_reject (&req, &err);
    }
    else {
        S_CHECK (err.code == NULL);
        S_CHECK (req.kind == GL_WIRE_REQ_DOCUMENT
                 || req.kind == GL_WIRE_REQ_HEALTH
                 || req.kind == GL_WIRE_REQ_STATS
                 || req.kind == GL_WIRE_REQ_REPLAY);
        if (req.kind == GL_WIRE_REQ_REPLAY) {
            S_CHECK (req.from >= 1 && req.to >= req.from);
            S_CHECK (req.n_topics <= GL_WIRE_MAX_TOPICS);
            for (size_t i = 0; i < req.n_topics; i++) {
                S_CHECK (req.topics[i].type == MSGPACK_OBJECT_STR);
                S_CHECK (s_inside (req.topics[i].via.str.ptr,
                                   req.topics[i].via.str.size, data, size));
            }
        }
        if (req.kind == GL_WIRE_REQ_DOCUMENT) {
            S_CHECK (req.id != NULL);
            S_CHECK (req.body != NULL && req.body_len >= 1
                     && req.body_len <= lim->max_body);
            S_CHECK (s_inside (req.body, req.body_len, data, size));
            if (req.name) {
                S_CHECK (req.name_len <= GL_WIRE_MAX_ID);
                S_CHECK (s_inside (req.name, req.name_len, data, size));
            }
            S_CHECK (req.meta.type == MSGPACK_OBJECT_NIL
                     || req.meta.type == MSGPACK_OBJECT_MAP);
            s_reencode (&req, lim);
        }
    }
    gl_wire_req_fini (&req);
    gl_wire_req_fini (&req);
}

static void
s_one_msg (const uint8_t *data, size_t size, const gl_wire_limits_t *lim)
{
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    gl_err_t rc = gl_wire_decode_msg (data, size, lim, &msg, &err);
    S_CHECK (rc == GL_OK || rc == GL_EPROTO);
    if (rc == GL_EPROTO) {
        s_check_err (&err);
        S_CHECK (strcmp (err.code, "GID002") != 0);     /* no body here */
    }
    else {
        S_CHECK (msg.root.type == MSGPACK_OBJECT_MAP);
        S_CHECK (msg.type != NULL);
        S_CHECK (s_inside (msg.type, msg.type_len, data, size));
        uint64_t v = 0;
        S_CHECK (gl_wire_get_u64 (&msg.root, "v", &v) && v == GL_WIRE_VERSION);
        /* The getters on whatever the message holds.                     */
        const char *s;
        size_t n;
        int64_t i;
        double f;
        (void) gl_wire_get_str (&msg.root, "id", &s, &n);
        (void) gl_wire_get_i64 (&msg.root, "seq", &i);
        (void) gl_wire_get_f64 (&msg.root, "received", &f);
        (void) gl_wire_get (gl_wire_get (&msg.root, "counts"), "error");
    }
    gl_wire_msg_fini (&msg);
    gl_wire_msg_fini (&msg);
}

static void
s_one_quote (const uint8_t *data, size_t size)
{
    char out[GL_WIRE_QUOTE_CAP + 1];
    out[GL_WIRE_QUOTE_CAP] = 'X';       /* a guard: nothing written past cap */
    gl_wire_quote (out, GL_WIRE_QUOTE_CAP, data, size);
    S_CHECK (out[GL_WIRE_QUOTE_CAP] == 'X');
    size_t n = strlen (out);
    S_CHECK (n < GL_WIRE_QUOTE_CAP && s_utf8 (out));
    /* No control character: what was one is \xNN now. */
    for (size_t i = 0; i < n; i++)
        S_CHECK ((uint8_t) out[i] >= 0x20 && out[i] != 0x7f);
    if (size <= GL_WIRE_QUOTE_BYTES && gl_wire_printable (data, size))
        S_CHECK (n == size && memcmp (out, data, size) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    for (int k = 0; k < 2; k++) {
        s_one_req (data, size, &s_limits[k]);
        s_one_msg (data, size, &s_limits[k]);
    }
    s_one_quote (data, size);
    return 0;
}
