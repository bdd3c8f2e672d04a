/*  test_wire.c: the wire protocol (proto/gl_wire.c).
 *
 *  Round trips of every message kind, the seq patch, and every malformed
 *  shape we could think of, each with the reject code it must get and a
 *  look at the reason.  A result is checked field by field against the
 *  gl_diag_t it came from, through the same field visitor that wrote it.
 */
#include "gl_testutil.h"

#include "gl_wire.h"

#define GOOD21 "tests/fixtures/good_2021.txt"

/*  ---------------------------------------------------------------------
 *  Helpers.                                                               */

/*  A MessagePack writer for hand-made messages.                            */
typedef struct {
    msgpack_sbuffer sb;
    msgpack_packer pk;
} gl_tmb_t;

static void
s_mb_init (gl_tmb_t *m)
{
    msgpack_sbuffer_init (&m->sb);
    msgpack_packer_init (&m->pk, &m->sb, msgpack_sbuffer_write);
}

static void
s_mb_fini (gl_tmb_t *m)
{
    msgpack_sbuffer_destroy (&m->sb);
}

static void
s_mb_str (gl_tmb_t *m, const char *s)
{
    assert_int_equal (msgpack_pack_str_with_body (&m->pk, s, strlen (s)), 0);
}

static void
s_mb_bin (gl_tmb_t *m, const char *s)
{
    assert_int_equal (msgpack_pack_bin_with_body (&m->pk, s, strlen (s)), 0);
}

static void
s_mb_raw (gl_tmb_t *m, const void *bytes, size_t n)
{
    assert_int_equal (msgpack_sbuffer_write (&m->sb, bytes, n), 0);
}

/*  Starts a request map of n entries with "v": 1 and "type": type.        */
static void
s_mb_head (gl_tmb_t *m, size_t n, const char *type)
{
    msgpack_pack_map (&m->pk, n);
    s_mb_str (m, "v");
    msgpack_pack_uint64 (&m->pk, GL_WIRE_VERSION);
    s_mb_str (m, "type");
    s_mb_str (m, type);
}

/*  Decodes a request that must be rejected with code, with en in its
 *  English reason; checks that the Chinese one is there too.               */
static void
s_reject_l (const void *buf, size_t len, const gl_wire_limits_t *lim,
            const char *code, const char *en, int line)
{
    gl_wire_req_t req;
    gl_wire_error_t err;
    gl_err_t rc = gl_wire_decode_req (buf, len, lim, &req, &err);
    if (rc != GL_EPROTO || !err.code || strcmp (err.code, code) != 0
        || !strstr (err.why_en, en) || err.why_zh[0] == '\0')
        fail_msg ("line %d: rc %s, code %s, why_en \"%s\", why_zh \"%s\"; "
                  "wanted %s with \"%s\"", line, gl_err_name (rc),
                  err.code ? err.code : "(null)", err.why_en, err.why_zh,
                  code, en);
    gl_wire_req_fini (&req);
    gl_wire_req_fini (&req);
}

#define s_reject(buf, len, lim, code, en)                                  \
    s_reject_l (buf, len, lim, code, en, __LINE__)
#define s_reject_mb(m, code, en)                                           \
    s_reject_l ((m)->sb.data, (m)->sb.size, NULL, code, en, __LINE__)

static bool
s_str_eq (const char *s, size_t n, const char *want)
{
    return s && n == strlen (want) && memcmp (s, want, n) == 0;
}

static void
s_assert_get_str (const msgpack_object *map, const char *key, const char *want)
{
    const char *s;
    size_t n;
    if (!gl_wire_get_str (map, key, &s, &n))
        fail_msg ("no str field %s", key);
    if (!s_str_eq (s, n, want))
        fail_msg ("field %s is \"%.*s\", wanted \"%s\"", key, (int) n, s, want);
}

static uint64_t
s_get_u64 (const msgpack_object *map, const char *key)
{
    uint64_t v = 0;
    if (!gl_wire_get_u64 (map, key, &v))
        fail_msg ("no uint field %s", key);
    return v;
}

static double
s_get_f64 (const msgpack_object *map, const char *key)
{
    double v = 0;
    if (!gl_wire_get_f64 (map, key, &v))
        fail_msg ("no number field %s", key);
    return v;
}

static const gl_wire_limits_t s_small = { 4096, 1024, GL_WIRE_MAX_DEPTH };

/*  ---------------------------------------------------------------------
 *  Requests.                                                              */

static void
test_document_minimal (void **state)
{
    (void) state;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_doc_t doc = { .id = "doc-1", .body = "abc", .body_len = 3 };
    assert_int_equal (gl_wire_encode_document (&sb, &doc), 0);

    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err),
                      GL_OK);
    assert_int_equal (req.kind, GL_WIRE_REQ_DOCUMENT);
    assert_true (s_str_eq (req.id, req.id_len, "doc-1"));
    assert_int_equal (req.body_len, 3);
    assert_memory_equal (req.body, "abc", 3);
    assert_null (req.name);
    assert_int_equal (req.name_len, 0);
    assert_null (req.source);
    assert_int_equal (req.source_len, 0);
    assert_int_equal (req.lang, GL_LANG_ZH);
    assert_int_equal (req.meta.type, MSGPACK_OBJECT_NIL);
    assert_null (err.code);
    gl_wire_req_fini (&req);
    gl_wire_req_fini (&req);                /* idempotent               */
    assert_null (req.id);
    gl_wire_req_fini (NULL);
    msgpack_sbuffer_destroy (&sb);
}

/*  Builds the meta map {"batch": 7, "tags": ["a", "b"], "deep":
 *  {"x": nil, "t": ext(5, "ts")}} into m.                                  */
static void
s_mb_meta (gl_tmb_t *m)
{
    msgpack_pack_map (&m->pk, 3);
    s_mb_str (m, "batch");
    msgpack_pack_uint64 (&m->pk, 7);
    s_mb_str (m, "tags");
    msgpack_pack_array (&m->pk, 2);
    s_mb_str (m, "a");
    s_mb_str (m, "b");
    s_mb_str (m, "deep");
    msgpack_pack_map (&m->pk, 2);
    s_mb_str (m, "x");
    msgpack_pack_nil (&m->pk);
    s_mb_str (m, "t");
    msgpack_pack_ext_with_body (&m->pk, "ts", 2, 5);
}

static void
s_check_meta (const msgpack_object *meta)
{
    assert_int_equal (meta->type, MSGPACK_OBJECT_MAP);
    assert_int_equal (meta->via.map.size, 3);
    assert_int_equal (s_get_u64 (meta, "batch"), 7);
    const msgpack_object *tags = gl_wire_get (meta, "tags");
    assert_non_null (tags);
    assert_int_equal (tags->type, MSGPACK_OBJECT_ARRAY);
    assert_int_equal (tags->via.array.size, 2);
    const msgpack_object *deep = gl_wire_get (meta, "deep");
    assert_non_null (deep);
    const msgpack_object *t = gl_wire_get (deep, "t");
    assert_non_null (t);
    assert_int_equal (t->type, MSGPACK_OBJECT_EXT);
    assert_int_equal (t->via.ext.type, 5);
    assert_int_equal (t->via.ext.size, 2);
    assert_memory_equal (t->via.ext.ptr, "ts", 2);
}

static void
test_document_full (void **state)
{
    (void) state;
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_meta (&m);
    msgpack_unpacked up;
    msgpack_unpacked_init (&up);
    assert_int_equal (msgpack_unpack_next (&up, m.sb.data, m.sb.size, NULL),
                      MSGPACK_UNPACK_SUCCESS);

    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_doc_t doc = { .id = "报告-2022", .body = "正文", .body_len = 6,
                          .name = "青山区.txt", .source = "crawler-1",
                          .lang = "en", .meta = &up.data };
    assert_int_equal (gl_wire_encode_document (&sb, &doc), 0);
    msgpack_unpacked_destroy (&up);
    s_mb_fini (&m);

    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, &s_small, &req,
                                          &err), GL_OK);
    assert_int_equal (req.kind, GL_WIRE_REQ_DOCUMENT);
    assert_true (s_str_eq (req.id, req.id_len, "报告-2022"));
    assert_true (s_str_eq (req.name, req.name_len, "青山区.txt"));
    assert_true (s_str_eq (req.source, req.source_len, "crawler-1"));
    assert_int_equal (req.body_len, 6);
    assert_memory_equal (req.body, "正文", 6);
    assert_int_equal (req.lang, GL_LANG_EN);
    s_check_meta (&req.meta);
    gl_wire_req_fini (&req);

    /* The same through gl_wire_decode_msg(), as any client reads it.     */
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err),
                      GL_OK);
    assert_true (s_str_eq (msg.type, msg.type_len, "document"));
    assert_int_equal (s_get_u64 (&msg.root, "v"), GL_WIRE_VERSION);
    const msgpack_object *body = gl_wire_get (&msg.root, "body");
    assert_non_null (body);
    assert_int_equal (body->type, MSGPACK_OBJECT_BIN);
    gl_wire_msg_fini (&msg);
    gl_wire_msg_fini (&msg);
    gl_wire_msg_fini (NULL);
    msgpack_sbuffer_destroy (&sb);
}

/*  body as str (producers without a bin type), nil for optional fields,
 *  lang "zh", and unknown keys, all accepted.                              */
static void
test_document_lenient (void **state)
{
    (void) state;
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_head (&m, 10, "document");
    s_mb_str (&m, "future");
    msgpack_pack_array (&m.pk, 2);
    msgpack_pack_true (&m.pk);
    msgpack_pack_double (&m.pk, 1.5);
    s_mb_str (&m, "id");
    s_mb_str (&m, "x");
    s_mb_str (&m, "body");
    s_mb_str (&m, "text as str");
    s_mb_str (&m, "name");
    msgpack_pack_nil (&m.pk);
    s_mb_str (&m, "source");
    msgpack_pack_nil (&m.pk);
    s_mb_str (&m, "lang");
    s_mb_str (&m, "zh");
    s_mb_str (&m, "meta");
    msgpack_pack_nil (&m.pk);
    s_mb_str (&m, "priority");
    msgpack_pack_int64 (&m.pk, -3);

    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_OK);
    assert_int_equal (req.body_len, 11);
    assert_memory_equal (req.body, "text as str", 11);
    assert_null (req.name);
    assert_null (req.source);
    assert_int_equal (req.lang, GL_LANG_ZH);
    assert_int_equal (req.meta.type, MSGPACK_OBJECT_NIL);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);
}

static void
test_control_requests (void **state)
{
    (void) state;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_req_t req;
    gl_wire_error_t err;

    assert_int_equal (gl_wire_encode_health_req (&sb), 0);
    /* {"v": 1, "type": "health"}, byte for byte, as docs/protocol.md.   */
    static const uint8_t health[] = { 0x82, 0xa1, 'v', 0x01, 0xa4, 't', 'y',
                                      'p', 'e', 0xa6, 'h', 'e', 'a', 'l', 't',
                                      'h' };
    assert_int_equal (sb.size, sizeof health);
    assert_memory_equal (sb.data, health, sizeof health);
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err),
                      GL_OK);
    assert_int_equal (req.kind, GL_WIRE_REQ_HEALTH);
    assert_null (req.body);
    gl_wire_req_fini (&req);

    msgpack_sbuffer_clear (&sb);
    assert_int_equal (gl_wire_encode_stats_req (&sb), 0);
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err),
                      GL_OK);
    assert_int_equal (req.kind, GL_WIRE_REQ_STATS);
    gl_wire_req_fini (&req);
    msgpack_sbuffer_destroy (&sb);
}

/*  ---------------------------------------------------------------------
 *  Results.                                                               */

/*  Checks each field gl_diag_fields() gives against the decoded map.      */
typedef struct {
    const msgpack_object *map;
    size_t n;
} gl_tcheck_t;

static void
s_check_str (void *ctx, const char *key, const char *value)
{
    gl_tcheck_t *c = ctx;
    s_assert_get_str (c->map, key, value);
    c->n++;
}

static void
s_check_num (void *ctx, const char *key, int64_t value)
{
    gl_tcheck_t *c = ctx;
    int64_t got;
    if (!gl_wire_get_i64 (c->map, key, &got))
        fail_msg ("no int field %s", key);
    assert_int_equal (got, value);
    c->n++;
}

static void
s_check_real (void *ctx, const char *key, double value)
{
    gl_tcheck_t *c = ctx;
    const msgpack_object *o = gl_wire_get (c->map, key);
    assert_non_null (o);
    assert_int_equal (o->type, MSGPACK_OBJECT_FLOAT64);
    assert_true (o->via.f64 == value);
    c->n++;
}

static const gl_field_sink_t s_checker = { s_check_str, s_check_num,
                                           s_check_real };

/*  The decoded diagnostic map against d, field by field.                   */
static void
s_check_diag (const msgpack_object *m, const gl_diag_t *d)
{
    assert_int_equal (m->type, MSGPACK_OBJECT_MAP);
    gl_tcheck_t c = { m, 0 };
    gl_diag_fields (d, &s_checker, &c);
    assert_int_equal (c.n, m->via.map.size);    /* nothing else either  */
    /* And the fields named directly, in case the visitor skipped one.    */
    s_assert_get_str (m, "code", d->code);
    s_assert_get_str (m, "name", d->rule->name);
    s_assert_get_str (m, "severity", gl_severity_name (d->severity));
    s_assert_get_str (m, "message", d->message);
    assert_int_equal (s_get_u64 (m, "line"), d->pos.line);
    assert_int_equal (s_get_u64 (m, "column"), d->pos.column);
    assert_int_equal (s_get_u64 (m, "end_line"), d->pos.end_line);
    assert_int_equal (s_get_u64 (m, "end_column"), d->pos.end_column);
    assert_int_equal (s_get_u64 (m, "byte_start"), d->pos.byte_start);
    assert_int_equal (s_get_u64 (m, "byte_end"), d->pos.byte_end);
    if (d->section != GL_SEC_NONE)
        s_assert_get_str (m, "section", gl_section_numeral (d->section));
    else
        assert_null (gl_wire_get (m, "section"));
    if (d->row)
        s_assert_get_str (m, "row", d->row);
    if (d->column)
        s_assert_get_str (m, "column_label", d->column);
    if (d->expected.kind == GL_VAL_INT) {
        int64_t v;
        assert_true (gl_wire_get_i64 (m, "expected", &v));
        assert_int_equal (v, d->expected.i);
    }
    if (d->actual.kind == GL_VAL_NONE)
        assert_null (gl_wire_get (m, "actual"));
}

/*  The daemon's path: a document request, decoded, linted, answered.      */
static void
s_result_roundtrip (gl_lang_t lang, bool with_optional)
{
    char *text = gl_t_read (GOOD21, NULL);
    gl_t_replace (&text, "数量\t10\t2\t0\t0\t1\t0\t13",
                  "数量\t10\t2\t0\t0\t1\t0\t14");

    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_meta (&m);
    msgpack_unpacked up;
    msgpack_unpacked_init (&up);
    assert_int_equal (msgpack_unpack_next (&up, m.sb.data, m.sb.size, NULL),
                      MSGPACK_UNPACK_SUCCESS);
    msgpack_sbuffer in;
    msgpack_sbuffer_init (&in);
    gl_wire_doc_t wd = { .id = "q-2022", .body = text,
                         .body_len = strlen (text),
                         .lang = lang == GL_LANG_EN ? "en" : NULL };
    if (with_optional) {
        wd.name = "good_2021.txt";
        wd.source = "crawler-7";
        wd.meta = &up.data;
    }
    assert_int_equal (gl_wire_encode_document (&in, &wd), 0);
    msgpack_unpacked_destroy (&up);
    s_mb_fini (&m);
    free (text);

    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (in.data, in.size, NULL, &req, &err),
                      GL_OK);
    assert_int_equal (req.lang, lang);
    gl_engine_t *engine = gl_engine_new ();
    assert_non_null (engine);
    gl_doc_t *doc = NULL;
    assert_int_equal (gl_engine_lint (engine, req.body, req.body_len, req.lang,
                                      &doc), GL_OK);
    gl_engine_destroy (&engine);
    assert_non_null (gl_t_find (doc, "GID301"));

    /* Something in the buffer already: the result is appended.          */
    msgpack_sbuffer out;
    msgpack_sbuffer_init (&out);
    msgpack_sbuffer_write (&out, "xyz", 3);
    gl_wire_result_t r = { .epoch = 0x0123456789abcdefull,
                           .daemon = "gidlintd-test", .received = 1700000000.25,
                           .processing_ms = 3.5, .req = &req, .doc = doc };
    assert_int_equal (gl_wire_encode_result (&out, &r), 0);
    uint8_t *p = (uint8_t *) out.data + 3;
    size_t len = out.size - 3;
    assert_int_equal (p[0], 0xde);
    assert_memory_equal (p + 3, "\xa3seq\xcf", 5);
    gl_wire_patch_seq (p, len, 42);

    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (p, len, NULL, &msg, &err), GL_OK);
    const msgpack_object *root = &msg.root;
    assert_true (s_str_eq (msg.type, msg.type_len, "result"));
    /* seq is the first entry.                                           */
    assert_true (s_str_eq (root->via.map.ptr[0].key.via.str.ptr,
                           root->via.map.ptr[0].key.via.str.size, "seq"));
    assert_int_equal (s_get_u64 (root, "seq"), 42);
    assert_int_equal (s_get_u64 (root, "v"), 1);
    assert_int_equal (s_get_u64 (root, "epoch"), 0x0123456789abcdefull);
    s_assert_get_str (root, "daemon", "gidlintd-test");
    s_assert_get_str (root, "id", "q-2022");
    assert_true (s_get_f64 (root, "received") == 1700000000.25);
    assert_true (s_get_f64 (root, "processing_ms") == 3.5);
    if (with_optional) {
        s_assert_get_str (root, "name", "good_2021.txt");
        s_assert_get_str (root, "source", "crawler-7");
        const msgpack_object *meta = gl_wire_get (root, "meta");
        assert_non_null (meta);
        s_check_meta (meta);
    }
    else {
        assert_null (gl_wire_get (root, "name"));
        assert_null (gl_wire_get (root, "source"));
        assert_null (gl_wire_get (root, "meta"));
    }

    /* The document's fields, the same ones the JSON output has.          */
    gl_tcheck_t c = { root, 0 };
    gl_doc_fields (doc, &s_checker, &c);
    assert_int_equal (c.n, 4);
    s_assert_get_str (root, "title", gl_doc_title (doc, NULL));
    s_assert_get_str (root, "body", gl_doc_body (doc));
    assert_int_equal (s_get_u64 (root, "year"), gl_doc_year (doc));
    assert_int_equal (s_get_u64 (root, "edition"), 2021);
    size_t fixed = 10 + (with_optional ? 3 : 0);        /* 10 with id */
    assert_int_equal (root->via.map.size, fixed + c.n);

    const msgpack_object *counts = gl_wire_get (root, "counts");
    assert_non_null (counts);
    assert_int_equal (s_get_u64 (counts, "error"),
                      gl_doc_count (doc, GL_SEV_ERROR));
    assert_int_equal (s_get_u64 (counts, "warning"),
                      gl_doc_count (doc, GL_SEV_WARNING));
    assert_int_equal (s_get_u64 (counts, "info"),
                      gl_doc_count (doc, GL_SEV_INFO));
    assert_true (s_get_u64 (counts, "error") >= 1);

    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    const msgpack_object *diags = gl_wire_get (root, "diagnostics");
    assert_non_null (diags);
    assert_int_equal (diags->type, MSGPACK_OBJECT_ARRAY);
    assert_int_equal (diags->via.array.size, n);
    bool saw_expected = false;
    for (size_t i = 0; i < n; i++) {
        s_check_diag (&diags->via.array.ptr[i], &d[i]);
        saw_expected |= d[i].expected.kind != GL_VAL_NONE;
    }
    assert_true (saw_expected);
    if (lang == GL_LANG_EN) {
        const gl_diag_t *d301 = gl_t_find (doc, "GID301");
        assert_non_null (strstr (d301->message, "should be 13"));
    }

    gl_wire_msg_fini (&msg);
    gl_wire_req_fini (&req);
    gl_doc_destroy (&doc);
    msgpack_sbuffer_destroy (&out);
    msgpack_sbuffer_destroy (&in);
}

static void
test_result (void **state)
{
    (void) state;
    s_result_roundtrip (GL_LANG_ZH, true);
    s_result_roundtrip (GL_LANG_EN, false);
}

/*  A result whose document is not a report at all: few fields, still a
 *  map16 with seq first.                                                   */
static void
test_result_small (void **state)
{
    (void) state;
    gl_doc_t *doc = gl_t_lint_n ("hello", 5, GL_LANG_ZH);
    gl_wire_req_t req;
    memset (&req, 0, sizeof req);
    req.id = "tiny";
    req.id_len = 4;
    req.meta.type = MSGPACK_OBJECT_NIL;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_result_t r = { .epoch = 1, .daemon = "d", .req = &req,
                           .doc = doc };
    assert_int_equal (gl_wire_encode_result (&sb, &r), 0);
    assert_int_equal ((uint8_t) sb.data[0], 0xde);
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err),
                      GL_OK);
    assert_int_equal (s_get_u64 (&msg.root, "seq"), 0);
    const msgpack_object *diags = gl_wire_get (&msg.root, "diagnostics");
    assert_non_null (diags);
    assert_int_equal (diags->via.array.size, gl_t_count (doc, NULL));
    assert_null (gl_wire_get (&msg.root, "title"));
    gl_wire_msg_fini (&msg);
    msgpack_sbuffer_destroy (&sb);
    gl_doc_destroy (&doc);
}

/*  ---------------------------------------------------------------------
 *  Rejects, stats, health, seq.                                           */

/*  Rejects a request (which fails with want_code) and reads the reject.    */
static void
s_reject_roundtrip (const gl_tmb_t *m, const char *want_code,
                    const char *want_rule, const char *id, const char *source,
                    gl_lang_t lang)
{
    gl_wire_req_t req;
    gl_wire_error_t err;
    gl_wire_limits_t lim = { 0, 8, 0 };     /* 0: the defaults          */
    assert_int_equal (gl_wire_decode_req (m->sb.data, m->sb.size, &lim, &req,
                                          &err), GL_EPROTO);
    assert_string_equal (err.code, want_code);
    assert_int_equal (req.lang, lang);
    if (id)
        assert_true (s_str_eq (req.id, req.id_len, id));
    else
        assert_null (req.id);
    if (source)
        assert_true (s_str_eq (req.source, req.source_len, source));
    else
        assert_null (req.source);

    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_reject_t r = { .epoch = 99, .daemon = "gidlintd",
                           .received = 1.5, .req = &req, .err = &err,
                           .lang = req.lang };
    assert_int_equal (gl_wire_encode_reject (&sb, &r), 0);
    assert_int_equal ((uint8_t) sb.data[0], 0xde);
    gl_wire_patch_seq (sb.data, sb.size, 0xfedcba9876543210ull);

    gl_wire_msg_t msg;
    gl_wire_error_t err2;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err2),
                      GL_OK);
    const msgpack_object *root = &msg.root;
    assert_true (s_str_eq (msg.type, msg.type_len, "reject"));
    assert_int_equal (s_get_u64 (root, "seq"), 0xfedcba9876543210ull);
    assert_int_equal (s_get_u64 (root, "v"), 1);
    assert_int_equal (s_get_u64 (root, "epoch"), 99);
    s_assert_get_str (root, "daemon", "gidlintd");
    assert_true (s_get_f64 (root, "received") == 1.5);
    if (id)
        s_assert_get_str (root, "id", id);
    else
        assert_null (gl_wire_get (root, "id"));
    if (source)
        s_assert_get_str (root, "source", source);
    else
        assert_null (gl_wire_get (root, "source"));
    s_assert_get_str (root, "reason_zh", err.why_zh);
    s_assert_get_str (root, "reason_en", err.why_en);
    assert_int_equal (root->via.map.size, 9 + (id != NULL) + (source != NULL));

    const msgpack_object *d = gl_wire_get (root, "diagnostic");
    assert_non_null (d);
    assert_int_equal (d->type, MSGPACK_OBJECT_MAP);
    assert_int_equal (d->via.map.size, 6);
    s_assert_get_str (d, "code", want_code);
    s_assert_get_str (d, "name", want_rule);
    s_assert_get_str (d, "severity", "error");
    s_assert_get_str (d, "message",
                      lang == GL_LANG_EN ? err.why_en : err.why_zh);
    assert_int_equal (s_get_u64 (d, "line"), 1);
    assert_int_equal (s_get_u64 (d, "column"), 1);

    gl_wire_msg_fini (&msg);
    gl_wire_req_fini (&req);
    msgpack_sbuffer_destroy (&sb);
}

static void
test_reject (void **state)
{
    (void) state;
    gl_tmb_t m;

    /* GID004, English, id and source known although body is missing.    */
    s_mb_init (&m);
    s_mb_head (&m, 5, "document");
    s_mb_str (&m, "id");
    s_mb_str (&m, "doc-9");
    s_mb_str (&m, "source");
    s_mb_str (&m, "feed");
    s_mb_str (&m, "lang");
    s_mb_str (&m, "en");
    s_reject_roundtrip (&m, "GID004", "bad-message", "doc-9", "feed",
                        GL_LANG_EN);
    s_mb_fini (&m);

    /* GID003 (the limit here is 8 bytes), Chinese, no source.            */
    s_mb_init (&m);
    s_mb_head (&m, 4, "document");
    s_mb_str (&m, "id");
    s_mb_str (&m, "big");
    s_mb_str (&m, "body");
    s_mb_bin (&m, "more than eight bytes");
    s_reject_roundtrip (&m, "GID003", "too-large", "big", NULL, GL_LANG_ZH);
    s_mb_fini (&m);

    /* GID002.                                                            */
    s_mb_init (&m);
    s_mb_head (&m, 4, "document");
    s_mb_str (&m, "id");
    s_mb_str (&m, "empty");
    s_mb_str (&m, "body");
    s_mb_bin (&m, "");
    s_reject_roundtrip (&m, "GID002", "empty-document", "empty", NULL,
                        GL_LANG_ZH);
    s_mb_fini (&m);

    /* Nothing known: not even a map.                                     */
    s_mb_init (&m);
    msgpack_pack_array (&m.pk, 0);
    s_reject_roundtrip (&m, "GID004", "bad-message", NULL, NULL, GL_LANG_ZH);
    s_mb_fini (&m);

    /* A reject with no request at all, and an error without a code.      */
    gl_wire_error_t err = { .code = NULL };
    snprintf (err.why_zh, sizeof err.why_zh, "坏");
    snprintf (err.why_en, sizeof err.why_en, "bad");
    gl_wire_reject_t r = { .epoch = 1, .daemon = NULL, .err = &err };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    assert_int_equal (gl_wire_encode_reject (&sb, &r), 0);
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err),
                      GL_OK);
    s_assert_get_str (&msg.root, "daemon", "");
    s_assert_get_str (gl_wire_get (&msg.root, "diagnostic"), "code", "GID004");
    s_assert_get_str (gl_wire_get (&msg.root, "diagnostic"), "message", "坏");
    gl_wire_msg_fini (&msg);
    msgpack_sbuffer_destroy (&sb);
}

static void
test_stats (void **state)
{
    (void) state;
    gl_wire_stats_t s = {
        .epoch = UINT64_MAX, .daemon = "gidlintd@host", .now = 1700000123.5,
        .uptime = 60.25, .received = 100, .linted = 90, .rejected = 10,
        .published = 100, .in_flight = 2, .workers = 4,
        .latency_p50_ms = 1.5, .latency_p99_ms = 20.0,
        .latency_max_ms = 250.75, .n_codes = 3,
        .codes = { "GID301", "GID004", "GID105" },
        .code_counts = { 12, 10, 0 }
    };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    assert_int_equal (gl_wire_encode_stats (&sb, &s), 0);
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err),
                      GL_OK);
    const msgpack_object *root = &msg.root;
    assert_true (s_str_eq (msg.type, msg.type_len, "stats"));
    assert_int_equal (root->via.map.size, 19);
    assert_int_equal (s_get_u64 (root, "v"), 1);
    assert_true (s_get_u64 (root, "epoch") == UINT64_MAX);
    s_assert_get_str (root, "daemon", "gidlintd@host");
    assert_true (s_get_f64 (root, "now") == 1700000123.5);
    assert_true (s_get_f64 (root, "uptime") == 60.25);
    assert_int_equal (s_get_u64 (root, "received"), 100);
    assert_int_equal (s_get_u64 (root, "linted"), 90);
    assert_int_equal (s_get_u64 (root, "rejected"), 10);
    assert_int_equal (s_get_u64 (root, "published"), 100);
    assert_int_equal (s_get_u64 (root, "in_flight"), 2);
    assert_int_equal (s_get_u64 (root, "workers"), 4);
    const msgpack_object *lat = gl_wire_get (root, "latency");
    assert_non_null (lat);
    assert_true (s_get_f64 (lat, "p50_ms") == 1.5);
    assert_true (s_get_f64 (lat, "p99_ms") == 20.0);
    assert_true (s_get_f64 (lat, "max_ms") == 250.75);
    const msgpack_object *codes = gl_wire_get (root, "codes");
    assert_non_null (codes);
    assert_int_equal (codes->via.map.size, 3);
    assert_int_equal (s_get_u64 (codes, "GID301"), 12);
    assert_int_equal (s_get_u64 (codes, "GID004"), 10);
    assert_int_equal (s_get_u64 (codes, "GID105"), 0);
    gl_wire_msg_fini (&msg);
    msgpack_sbuffer_destroy (&sb);
}

static void
test_health (void **state)
{
    (void) state;
    for (int accepting = 0; accepting < 2; accepting++) {
        msgpack_sbuffer sb;
        msgpack_sbuffer_init (&sb);
        assert_int_equal (gl_wire_encode_health (&sb, 7, "gidlintd",
                                                 accepting), 0);
        gl_wire_msg_t msg;
        gl_wire_error_t err;
        assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg,
                                              &err), GL_OK);
        assert_true (s_str_eq (msg.type, msg.type_len, "health"));
        assert_int_equal (msg.root.via.map.size, 5);
        assert_int_equal (s_get_u64 (&msg.root, "epoch"), 7);
        s_assert_get_str (&msg.root, "daemon", "gidlintd");
        const msgpack_object *a = gl_wire_get (&msg.root, "accepting");
        assert_non_null (a);
        assert_int_equal (a->type, MSGPACK_OBJECT_BOOLEAN);
        assert_int_equal (a->via.boolean, accepting);
        gl_wire_msg_fini (&msg);
        msgpack_sbuffer_destroy (&sb);
    }
}

static void
test_seq (void **state)
{
    (void) state;
    gl_wire_error_t err = { .code = "GID004" };
    gl_wire_reject_t r = { .epoch = 1, .daemon = "d", .err = &err };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    assert_int_equal (gl_wire_encode_reject (&sb, &r), 0);
    uint8_t *p = (uint8_t *) sb.data;
    static const uint8_t head[16] = { 0xde, 0x00, 0x09, 0xa3, 's', 'e', 'q',
                                      0xcf, 0, 0, 0, 0, 0, 0, 0, 0 };
    assert_memory_equal (p, head, sizeof head);

    gl_wire_patch_seq (p, sb.size, 0x0102030405060708ull);
    static const uint8_t be[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    assert_memory_equal (p + GL_WIRE_SEQ_OFFSET, be, 8);
    gl_wire_patch_seq (p, sb.size, UINT64_MAX);
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (p, sb.size, NULL, &msg, &err),
                      GL_OK);
    assert_true (s_get_u64 (&msg.root, "seq") == UINT64_MAX);
    gl_wire_msg_fini (&msg);

    /* Too short, or not a result or reject: nothing is written.          */
    uint8_t copy[64];
    memcpy (copy, p, sizeof copy);
    gl_wire_patch_seq (p, 15, 5);
    assert_memory_equal (p, copy, sizeof copy);
    p[7] = 0xce;
    gl_wire_patch_seq (p, sb.size, 5);
    assert_memory_equal (p + GL_WIRE_SEQ_OFFSET, copy + GL_WIRE_SEQ_OFFSET, 8);
    p[7] = 0xcf;
    p[4] = 'x';
    gl_wire_patch_seq (p, sb.size, 5);
    assert_memory_equal (p + GL_WIRE_SEQ_OFFSET, copy + GL_WIRE_SEQ_OFFSET, 8);
    gl_wire_patch_seq (NULL, 100, 5);

    /* A health reply is not patchable.                                   */
    msgpack_sbuffer_clear (&sb);
    assert_int_equal (gl_wire_encode_health (&sb, 1, "d", true), 0);
    memcpy (copy, sb.data, sb.size);
    gl_wire_patch_seq (sb.data, sb.size, 5);
    assert_memory_equal (sb.data, copy, sb.size);
    msgpack_sbuffer_destroy (&sb);
}

static void
test_getters (void **state)
{
    (void) state;
    gl_tmb_t m;
    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 8);
    s_mb_str (&m, "u");
    msgpack_pack_uint64 (&m.pk, UINT64_MAX);
    s_mb_str (&m, "i");
    msgpack_pack_int64 (&m.pk, INT64_MIN);
    s_mb_str (&m, "small");
    msgpack_pack_uint64 (&m.pk, 5);
    s_mb_str (&m, "f32");
    msgpack_pack_float (&m.pk, 0.5f);
    s_mb_str (&m, "f64");
    msgpack_pack_double (&m.pk, -2.25);
    s_mb_str (&m, "s");
    s_mb_str (&m, "text");
    s_mb_str (&m, "b");
    s_mb_bin (&m, "bytes");
    s_mb_str (&m, "n");
    msgpack_pack_nil (&m.pk);
    msgpack_unpacked up;
    msgpack_unpacked_init (&up);
    assert_int_equal (msgpack_unpack_next (&up, m.sb.data, m.sb.size, NULL),
                      MSGPACK_UNPACK_SUCCESS);
    const msgpack_object *o = &up.data;
    uint64_t u;
    int64_t i;
    double f;
    const char *s;
    size_t n;

    assert_true (gl_wire_get_u64 (o, "u", &u) && u == UINT64_MAX);
    assert_false (gl_wire_get_i64 (o, "u", &i));     /* out of range   */
    assert_true (gl_wire_get_f64 (o, "u", &f));
    assert_false (gl_wire_get_u64 (o, "i", &u));
    assert_true (gl_wire_get_i64 (o, "i", &i) && i == INT64_MIN);
    assert_true (gl_wire_get_i64 (o, "small", &i) && i == 5);
    assert_true (gl_wire_get_f64 (o, "small", &f) && f == 5.0);
    assert_true (gl_wire_get_f64 (o, "i", &f) && f == (double) INT64_MIN);
    assert_true (gl_wire_get_f64 (o, "f32", &f) && f == 0.5);
    assert_true (gl_wire_get_f64 (o, "f64", &f) && f == -2.25);
    assert_false (gl_wire_get_u64 (o, "f64", &u));
    assert_false (gl_wire_get_i64 (o, "f64", &i));
    assert_true (gl_wire_get_str (o, "s", &s, &n) && s_str_eq (s, n, "text"));
    assert_false (gl_wire_get_str (o, "b", &s, &n));
    assert_false (gl_wire_get_str (o, "n", &s, &n));
    assert_false (gl_wire_get_f64 (o, "s", &f));
    assert_non_null (gl_wire_get (o, "n"));
    assert_null (gl_wire_get (o, "missing"));
    assert_null (gl_wire_get (o, "S"));          /* case matters          */
    assert_null (gl_wire_get (NULL, "u"));
    assert_null (gl_wire_get (gl_wire_get (o, "s"), "u"));   /* not a map */
    msgpack_unpacked_destroy (&up);
    s_mb_fini (&m);
}

/*  ---------------------------------------------------------------------
 *  Malformed input.                                                       */

static void
test_not_msgpack (void **state)
{
    (void) state;
    gl_wire_req_t req;
    gl_wire_error_t err;

    /* Empty, and fini after a decode that never unpacked.               */
    assert_int_equal (gl_wire_decode_req ("", 0, NULL, &req, &err),
                      GL_EPROTO);
    assert_string_equal (err.code, "GID004");
    assert_string_equal (err.why_en, "the message is empty (0 bytes)");
    assert_string_equal (err.why_zh, "消息为空（0 字节）");
    gl_wire_req_fini (&req);
    gl_wire_req_fini (&req);
    assert_int_equal (gl_wire_decode_req (NULL, 0, NULL, &req, &err),
                      GL_EPROTO);
    gl_wire_req_fini (&req);

    /* Text: 'h' is a positive fixint, and the rest is left over.         */
    s_reject ("hello world", 11, NULL, "GID004",
              "not valid MessagePack: the message ends at byte 1, followed "
              "by 10 extra bytes");
    s_reject ("\xc1", 1, NULL, "GID004",
              "not valid MessagePack: byte 0 (0xc1) starts no object");
    s_reject ("\x81\xa1v\xc1", 4, NULL, "GID004", "byte 3 (0xc1)");
    s_reject ("\x81", 1, NULL, "GID004",
              "not valid MessagePack: at byte 0, the map header declares 1 "
              "entries, more than the 0 bytes left can hold");
    s_reject ("\xcd\x01", 2, NULL, "GID004",
              "not valid MessagePack: truncated at byte 2");
    s_reject ("\xde\x00", 2, NULL, "GID004", "truncated at byte 2");

    /* Top level not a map.                                              */
    s_reject ("\x91\x01", 2, NULL, "GID004",
              "the message must be a map, got array");
    s_reject ("\x05", 1, NULL, "GID004", "the message must be a map, got int");
    s_reject ("\xa2hi", 3, NULL, "GID004",
              "the message must be a map, got str");
    s_reject ("\xc0", 1, NULL, "GID004", "the message must be a map, got nil");
    s_reject ("\xcb\0\0\0\0\0\0\0\0", 9, NULL, "GID004", "got float");
    s_reject ("\xd4\x01\x02", 3, NULL, "GID004", "got ext");

    /* Non-string keys.                                                  */
    s_reject ("\x81\x01\x02", 3, NULL, "GID004",
              "key 1 of the message must be a str, got int");
    s_reject ("\x82\xa1v\x01\xc4\x01k\x02", 8, NULL, "GID004",
              "key 2 of the message must be a str, got bin");

    /* Trailing bytes after a valid request.                              */
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_encode_health_req (&sb);
    msgpack_sbuffer_write (&sb, "\x00", 1);
    s_reject (sb.data, sb.size, NULL, "GID004",
              "the message ends at byte 16, followed by 1 extra bytes");
    gl_wire_encode_health_req (&sb);        /* two messages in one frame */
    s_reject (sb.data, sb.size, NULL, "GID004", "extra bytes");
    msgpack_sbuffer_destroy (&sb);
}

/*  Every proper prefix of a valid message is a reject, never a crash.      */
static void
test_truncated (void **state)
{
    (void) state;
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_meta (&m);
    msgpack_unpacked up;
    msgpack_unpacked_init (&up);
    assert_int_equal (msgpack_unpack_next (&up, m.sb.data, m.sb.size, NULL),
                      MSGPACK_UNPACK_SUCCESS);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    gl_wire_doc_t doc = { .id = "t", .body = "0123456789abcdef0123456789",
                          .body_len = 26, .name = "n.txt", .source = "s",
                          .lang = "en", .meta = &up.data };
    assert_int_equal (gl_wire_encode_document (&sb, &doc), 0);
    msgpack_unpacked_destroy (&up);
    s_mb_fini (&m);

    /* Each prefix in its own heap copy, so ASan sees any overread.       */
    for (size_t k = 0; k < sb.size; k++) {
        char *copy = malloc (k ? k : 1);
        assert_non_null (copy);
        memcpy (copy, sb.data, k);
        gl_wire_req_t req;
        gl_wire_error_t err;
        assert_int_equal (gl_wire_decode_req (copy, k, NULL, &req, &err),
                          GL_EPROTO);
        assert_string_equal (err.code, "GID004");
        assert_true (err.why_zh[0] != '\0');
        if (k > 0)
            assert_non_null (strstr (err.why_en, "not valid MessagePack"));
        gl_wire_req_fini (&req);
        gl_wire_msg_t msg;
        assert_int_equal (gl_wire_decode_msg (copy, k, NULL, &msg, &err),
                          GL_EPROTO);
        gl_wire_msg_fini (&msg);
        free (copy);
    }
    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err),
                      GL_OK);
    gl_wire_req_fini (&req);
    msgpack_sbuffer_destroy (&sb);
}

static void
test_bad_version (void **state)
{
    (void) state;
    gl_tmb_t m;

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 2);
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004",
                 "unsupported protocol version 2 (supported: 1)");
    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_string_equal (err.why_zh, "不支持的协议版本 2（支持的版本为 1）");
    gl_wire_req_fini (&req);
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (m.sb.data, m.sb.size, NULL, &msg,
                                          &err), GL_EPROTO);
    assert_non_null (strstr (err.why_en, "version 2"));
    gl_wire_msg_fini (&msg);
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 1);
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004", "missing field v");
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    s_mb_str (&m, "1");
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004", "field v must be a positive integer, got str");
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_int64 (&m.pk, -1);
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004", "field v must be a positive integer, got int");
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 0);
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004", "field v must be a positive integer, got 0");
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_double (&m.pk, 1.0);
    s_mb_str (&m, "type");
    s_mb_str (&m, "health");
    s_reject_mb (&m, "GID004", "got float");
    s_mb_fini (&m);
}

static void
test_bad_type (void **state)
{
    (void) state;
    gl_tmb_t m;

    s_mb_init (&m);
    s_mb_head (&m, 3, "frobnicate");
    s_mb_str (&m, "id");
    s_mb_str (&m, "x");
    s_reject_mb (&m, "GID004",
                 "unknown message type \"frobnicate\" (expected document, "
                 "health, stats or replay)");
    s_mb_fini (&m);

    /* A hostile type is quoted printably, cut short, and valid UTF-8.    */
    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 1);
    s_mb_str (&m, "type");
    s_mb_str (&m, "a\"\n\xff\xe4\xb8\xad"
                  "bcdefghijklmnopqrstuvwxyz0123456789");
    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_non_null (strstr (err.why_en,
                             "\"a\\x22\\x0a\\xff\xe4\xb8\xad" "bcdef"));
    assert_non_null (strstr (err.why_en, "\xe2\x80\xa6\""));
    gl_wire_req_fini (&req);
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 1);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 1);
    s_reject_mb (&m, "GID004", "missing field type");
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (m.sb.data, m.sb.size, NULL, &msg,
                                          &err), GL_EPROTO);
    assert_string_equal (err.why_en, "missing field type");
    gl_wire_msg_fini (&msg);
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 1);
    s_mb_str (&m, "type");
    msgpack_pack_uint64 (&m.pk, 3);
    s_reject_mb (&m, "GID004", "field type must be a str, got int");
    s_mb_fini (&m);

    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 2);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 1);
    s_mb_str (&m, "type");
    s_mb_bin (&m, "health");
    s_reject_mb (&m, "GID004", "field type must be a str, got bin");
    s_mb_fini (&m);
}

/*  A document request with one field replaced: key and a packing
 *  function for its value (NULL: leave the field out).                     */
typedef void gl_tval_fn (gl_tmb_t *m);

static void
s_mb_document (gl_tmb_t *m, const char *key, gl_tval_fn *val)
{
    static const char *const keys[] = { "id", "body", "name", "source",
                                        "lang", "meta" };
    size_t n = 2;
    bool replaced = false;
    for (size_t i = 0; i < 6; i++) {
        if (strcmp (keys[i], key) == 0)
            replaced = true;
        n += strcmp (keys[i], key) != 0 || val != NULL;
    }
    n += !replaced && val != NULL;
    s_mb_init (m);
    s_mb_head (m, n, "document");
    for (size_t i = 0; i < 6; i++) {
        if (strcmp (keys[i], key) == 0) {
            if (val) {
                s_mb_str (m, key);
                val (m);
            }
            continue;
        }
        s_mb_str (m, keys[i]);
        switch (i) {
        case 0:
            s_mb_str (m, "id-1");
            break;
        case 1:
            s_mb_bin (m, "body bytes");
            break;
        case 2:
            s_mb_str (m, "name.txt");
            break;
        case 3:
            s_mb_str (m, "src");
            break;
        case 4:
            s_mb_str (m, "en");
            break;
        default:
            msgpack_pack_map (&m->pk, 0);
            break;
        }
    }
    if (!replaced && val) {
        s_mb_str (m, key);
        val (m);
    }
}

static void
s_v_int (gl_tmb_t *m)
{
    msgpack_pack_int64 (&m->pk, 42);
}

static void
s_v_array (gl_tmb_t *m)
{
    msgpack_pack_array (&m->pk, 1);
    msgpack_pack_nil (&m->pk);
}

static void
s_v_nil (gl_tmb_t *m)
{
    msgpack_pack_nil (&m->pk);
}

static void
s_v_true (gl_tmb_t *m)
{
    msgpack_pack_true (&m->pk);
}

static void
s_v_bin (gl_tmb_t *m)
{
    s_mb_bin (m, "zh");
}

static void
s_v_empty_str (gl_tmb_t *m)
{
    s_mb_str (m, "");
}

static void
s_v_fr (gl_tmb_t *m)
{
    s_mb_str (m, "fr");
}

static void
s_v_long (gl_tmb_t *m)
{
    char s[GL_WIRE_MAX_ID + 2];
    memset (s, 'x', sizeof s - 1);
    s[GL_WIRE_MAX_ID + 1] = '\0';
    s_mb_str (m, s);
}

static void
s_v_max (gl_tmb_t *m)
{
    char s[GL_WIRE_MAX_ID + 1];
    memset (s, 'x', sizeof s - 1);
    s[GL_WIRE_MAX_ID] = '\0';
    s_mb_str (m, s);
}

static void
s_v_bad_utf8 (gl_tmb_t *m)
{
    s_mb_str (m, "ab\xc0\xaf");
}

static void
s_v_control (gl_tmb_t *m)
{
    assert_int_equal (msgpack_pack_str_with_body (&m->pk, "a\0b", 3), 0);
}

static void
s_v_slash (gl_tmb_t *m)
{
    s_mb_str (m, "a/b");
}

static void
s_v_empty_bin (gl_tmb_t *m)
{
    s_mb_bin (m, "");
}

static void
s_v_big_bin (gl_tmb_t *m)
{
    char body[2000];
    memset (body, 'a', sizeof body);
    msgpack_pack_bin_with_body (&m->pk, body, sizeof body);
}

/*  The document built with field key replaced is rejected with code and
 *  en in the reason (or accepted, when code is NULL).                      */
static void
s_field_case_l (const char *key, gl_tval_fn *val, const gl_wire_limits_t *lim,
                const char *code, const char *en, int line)
{
    gl_tmb_t m;
    s_mb_document (&m, key, val);
    if (code)
        s_reject_l (m.sb.data, m.sb.size, lim, code, en, line);
    else {
        gl_wire_req_t req;
        gl_wire_error_t err;
        gl_err_t rc = gl_wire_decode_req (m.sb.data, m.sb.size, lim, &req,
                                          &err);
        if (rc != GL_OK)
            fail_msg ("line %d: %s: %s", line, gl_err_name (rc), err.why_en);
        gl_wire_req_fini (&req);
    }
    s_mb_fini (&m);
}

#define s_field_case(key, val, lim, code, en)                              \
    s_field_case_l (key, val, lim, code, en, __LINE__)

static void
test_bad_fields (void **state)
{
    (void) state;
    /* The unmodified request is fine.                                    */
    s_field_case ("none", NULL, NULL, NULL, NULL);

    s_field_case ("id", NULL, NULL, "GID004", "missing field id");
    s_field_case ("id", s_v_int, NULL, "GID004",
                  "field id must be a str, got int");
    s_field_case ("id", s_v_nil, NULL, "GID004",
                  "field id must be a str, got nil");
    s_field_case ("id", s_v_bin, NULL, "GID004",
                  "field id must be a str, got bin");
    s_field_case ("id", s_v_empty_str, NULL, "GID004",
                  "field id must be 1 to 256 bytes long, got 0");
    s_field_case ("id", s_v_long, NULL, "GID004",
                  "field id must be 1 to 256 bytes long, got 257");
    s_field_case ("id", s_v_max, NULL, NULL, NULL);
    s_field_case ("id", s_v_bad_utf8, NULL, "GID004",
                  "field id is not valid UTF-8");
    s_field_case ("id", s_v_control, NULL, "GID004",
                  "field id must not contain control characters");

    s_field_case ("body", NULL, NULL, "GID004", "missing field body");
    s_field_case ("body", s_v_int, NULL, "GID004",
                  "field body must be bin, got int");
    s_field_case ("body", s_v_array, NULL, "GID004",
                  "field body must be bin, got array");
    s_field_case ("body", s_v_nil, NULL, "GID004",
                  "field body must be bin, got nil");
    s_field_case ("body", s_v_empty_bin, NULL, "GID002",
                  "the document is empty (body is 0 bytes)");
    s_field_case ("body", s_v_empty_str, NULL, "GID002", "empty");
    s_field_case ("body", s_v_big_bin, &s_small, "GID003",
                  "the document is 2000 bytes, over the limit of 1024 bytes");
    s_field_case ("body", s_v_big_bin, NULL, NULL, NULL);

    s_field_case ("name", s_v_int, NULL, "GID004",
                  "field name must be a str, got int");
    s_field_case ("name", s_v_long, NULL, "GID004",
                  "field name must be 0 to 256 bytes long, got 257");
    s_field_case ("name", s_v_empty_str, NULL, NULL, NULL);
    s_field_case ("name", s_v_bad_utf8, NULL, "GID004",
                  "field name is not valid UTF-8");

    s_field_case ("source", s_v_true, NULL, "GID004",
                  "field source must be a str, got bool");
    s_field_case ("source", s_v_empty_str, NULL, "GID004",
                  "field source must be 1 to 256 bytes long, got 0");
    s_field_case ("source", s_v_long, NULL, "GID004",
                  "field source must be 1 to 256 bytes long, got 257");
    s_field_case ("source", s_v_slash, NULL, "GID004",
                  "field source must not contain \"/\"");
    s_field_case ("source", s_v_control, NULL, "GID004",
                  "field source must not contain control characters");
    s_field_case ("name", s_v_control, NULL, "GID004",
                  "field name must not contain control characters");

    s_field_case ("lang", s_v_fr, NULL, "GID004",
                  "field lang must be \"zh\" or \"en\", got \"fr\"");
    s_field_case ("lang", s_v_int, NULL, "GID004",
                  "field lang must be a str, got int");
    s_field_case ("lang", s_v_empty_str, NULL, "GID004", "got \"\"");

    s_field_case ("meta", s_v_int, NULL, "GID004",
                  "field meta must be a map, got int");
    s_field_case ("meta", s_v_array, NULL, "GID004",
                  "field meta must be a map, got array");
    s_field_case ("meta", s_v_fr, NULL, "GID004",
                  "field meta must be a map, got str");

    /* A field that comes twice.                                          */
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_head (&m, 4, "document");
    s_mb_str (&m, "id");
    s_mb_str (&m, "a");
    s_mb_str (&m, "id");
    s_mb_str (&m, "b");
    s_reject_mb (&m, "GID004", "duplicate field id");
    s_mb_fini (&m);
}

/*  Even when the request is rejected, its id, source and language are
 *  read when they are valid, so the reject names the document.             */
static void
test_partial_read (void **state)
{
    (void) state;
    gl_tmb_t m;
    gl_wire_req_t req;
    gl_wire_error_t err;

    s_mb_document (&m, "meta", s_v_int);
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_true (s_str_eq (req.id, req.id_len, "id-1"));
    assert_true (s_str_eq (req.source, req.source_len, "src"));
    assert_int_equal (req.lang, GL_LANG_EN);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);

    /* Version 2: still named, for the reject that says so.               */
    s_mb_init (&m);
    msgpack_pack_map (&m.pk, 4);
    s_mb_str (&m, "v");
    msgpack_pack_uint64 (&m.pk, 2);
    s_mb_str (&m, "type");
    s_mb_str (&m, "document");
    s_mb_str (&m, "id");
    s_mb_str (&m, "v2-doc");
    s_mb_str (&m, "source");
    s_mb_str (&m, "a/b");                   /* invalid: not taken       */
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_true (s_str_eq (req.id, req.id_len, "v2-doc"));
    assert_null (req.source);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);

    /* An invalid id is not taken either.                                 */
    s_mb_document (&m, "id", s_v_long);
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_null (req.id);
    assert_int_equal (req.id_len, 0);
    assert_true (s_str_eq (req.source, req.source_len, "src"));
    gl_wire_req_fini (&req);
    s_mb_fini (&m);
}

static void
test_limits (void **state)
{
    (void) state;
    gl_tmb_t m;
    s_mb_document (&m, "body", s_v_big_bin);
    gl_wire_limits_t lim = { 1000, 0, 0 };
    s_reject_l (m.sb.data, m.sb.size, &lim, "GID003",
                "over the limit of 1000 bytes", __LINE__);
    gl_wire_req_t req;
    gl_wire_error_t err;
    gl_wire_decode_req (m.sb.data, m.sb.size, &lim, &req, &err);
    assert_non_null (strstr (err.why_en, "the message is 20"));
    assert_non_null (strstr (err.why_zh, "超过上限 1000 字节"));
    gl_wire_req_fini (&req);
    lim.max_message = m.sb.size;
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, &lim, &req,
                                          &err), GL_OK);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);
}

/*  A document whose meta nests depth - 1 maps, so the message nests
 *  depth deep.                                                             */
static void
s_mb_deep (gl_tmb_t *m, size_t depth)
{
    s_mb_init (m);
    s_mb_head (m, 5, "document");
    s_mb_str (m, "id");
    s_mb_str (m, "deep");
    s_mb_str (m, "body");
    s_mb_bin (m, "x");
    s_mb_str (m, "meta");
    for (size_t i = 2; i <= depth; i++) {
        msgpack_pack_map (&m->pk, 1);
        s_mb_str (m, "k");
    }
    msgpack_pack_nil (&m->pk);
}

static void
test_nesting (void **state)
{
    (void) state;
    gl_tmb_t m;
    gl_wire_req_t req;
    gl_wire_error_t err;

    s_mb_deep (&m, 16);
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_OK);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);

    s_mb_deep (&m, 17);
    s_reject_mb (&m, "GID004", "nesting deeper than 16 (at byte ");
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, NULL, &req,
                                          &err), GL_EPROTO);
    assert_non_null (strstr (err.why_zh, "嵌套层数超过 16"));
    /* The id was still read.                                            */
    gl_wire_req_fini (&req);

    /* A larger limit lets it through; msgpack-c's own stack of 32 is the
     * ceiling whatever the limit says.                                   */
    gl_wire_limits_t lim = { 0, 0, 100 };
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, &lim, &req,
                                          &err), GL_OK);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);
    s_mb_deep (&m, 32);
    assert_int_equal (gl_wire_decode_req (m.sb.data, m.sb.size, &lim, &req,
                                          &err), GL_OK);
    gl_wire_req_fini (&req);
    s_mb_fini (&m);
    s_mb_deep (&m, 33);
    s_reject_l (m.sb.data, m.sb.size, &lim, "GID004",
                "nesting deeper than 32", __LINE__);
    s_mb_fini (&m);

    /* 100 000 nested arrays, and as many nested maps.                    */
    size_t n = 100000;
    uint8_t *deep = malloc (n + 1);
    assert_non_null (deep);
    memset (deep, 0x91, n);
    deep[n] = 0xc0;
    s_reject (deep, n + 1, NULL, "GID004", "nesting deeper than 16");
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (deep, n + 1, NULL, &msg, &err),
                      GL_EPROTO);
    gl_wire_msg_fini (&msg);
    for (size_t i = 0; i < n / 2; i++) {
        deep[2 * i] = 0x81;
        deep[2 * i + 1] = 0xc0;
    }
    s_reject (deep, n, NULL, "GID004", "nesting deeper than 16");
    free (deep);
}

static void
test_huge_counts (void **state)
{
    (void) state;
    s_reject ("\xdf\xff\xff\xff\xff", 5, NULL, "GID004",
              "at byte 0, the map header declares 4294967295 entries, more "
              "than the 0 bytes left can hold");
    s_reject ("\xdd\xff\xff\xff\xff", 5, NULL, "GID004",
              "the array header declares 4294967295 elements");
    s_reject ("\xdb\xff\xff\xff\xff", 5, NULL, "GID004",
              "at byte 0, the str header declares 4294967295 bytes but only "
              "0 are left");
    s_reject ("\xc6\xff\xff\xff\xff\x00", 6, NULL, "GID004",
              "the bin header declares 4294967295 bytes but only 1 are left");
    s_reject ("\xc9\xff\xff\xff\xff\x01\x00", 7, NULL, "GID004",
              "the ext header declares 4294967295 bytes");
    s_reject ("\xc7\x01\x01", 3, NULL, "GID004", "the ext header declares 1");

    /* Inside a plausible request: {"v":1,"type":"document","id":<4 GB>}. */
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_head (&m, 3, "document");
    s_mb_str (&m, "id");
    s_mb_raw (&m, "\xdb\xff\xff\xff\xff" "abc", 8);
    s_reject_mb (&m, "GID004", "the str header declares 4294967295 bytes but "
                 "only 3 are left");
    s_mb_fini (&m);

    /* A map of 2 entries that would fit in the 5 bytes after it, but not
     * with the outer map still owed its second entry: what is owed to
     * every open container counts.                                       */
    s_reject ("\x82\xa1" "a\x82\xa1" "b\x01\xa1" "c", 9, NULL, "GID004",
              "at byte 3, the map header declares 2 entries, more than the "
              "5 bytes left can hold");

    /* More than 2^20 objects: an array of 2^20 + 1 nils.                  */
    size_t n = (1u << 20) + 1;
    uint8_t *big = malloc (n + 5);
    assert_non_null (big);
    big[0] = 0xdd;
    big[1] = (uint8_t) (n >> 24);
    big[2] = (uint8_t) (n >> 16);
    big[3] = (uint8_t) (n >> 8);
    big[4] = (uint8_t) n;
    memset (big + 5, 0xc0, n);
    gl_wire_limits_t lim = { n + 5, 0, 0 };
    s_reject (big, n + 5, &lim, "GID004",
              "the message holds more than 1048576 objects");
    /* One fewer is decoded (and is then not a map).                      */
    big[4] = (uint8_t) (n - 1);
    s_reject (big, n + 4, &lim, "GID004",
              "the message must be a map, got array");
    free (big);
}

static void
test_bad_msg (void **state)
{
    (void) state;
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_msg ("", 0, NULL, &msg, &err), GL_EPROTO);
    assert_string_equal (err.code, "GID004");
    gl_wire_msg_fini (&msg);
    assert_int_equal (gl_wire_decode_msg ("\x90", 1, NULL, &msg, &err),
                      GL_EPROTO);
    assert_string_equal (err.why_en, "the message must be a map, got array");
    gl_wire_msg_fini (&msg);
    /* Any type is fine for a reader; the caller dispatches on it.        */
    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_head (&m, 3, "from-the-future");
    s_mb_str (&m, "x");
    msgpack_pack_array (&m.pk, 0);
    assert_int_equal (gl_wire_decode_msg (m.sb.data, m.sb.size, NULL, &msg,
                                          &err), GL_OK);
    assert_true (s_str_eq (msg.type, msg.type_len, "from-the-future"));
    gl_wire_msg_fini (&msg);
    assert_null (msg.type);
    s_mb_fini (&m);
    assert_int_equal (gl_wire_decode_msg ("x", 1, NULL, NULL, &err),
                      GL_EINVAL);
}

/*  replay: the request both ways, its checks, the answer's header and a
 *  refusal.                                                                */
static void
test_replay (void **state)
{
    (void) state;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    const char *topics[] = { "result/error/", "reject/" };
    assert_int_equal (gl_wire_encode_replay_req (&sb, 5, 9, 77, topics, 2), 0);
    gl_wire_req_t req;
    gl_wire_error_t err;
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err), GL_OK);
    assert_int_equal (req.kind, GL_WIRE_REQ_REPLAY);
    assert_int_equal (req.from, 5);
    assert_int_equal (req.to, 9);
    assert_int_equal (req.epoch, 77);
    assert_int_equal (req.n_topics, 2);
    assert_true (s_str_eq (req.topics[1].via.str.ptr, req.topics[1].via.str.size,
                           "reject/"));
    gl_wire_req_fini (&req);
    msgpack_sbuffer_clear (&sb);
    assert_int_equal (gl_wire_encode_replay_req (&sb, 1, 1, 0, NULL, 0), 0);
    assert_int_equal (gl_wire_decode_req (sb.data, sb.size, NULL, &req, &err), GL_OK);
    assert_int_equal (req.epoch, 0);
    assert_int_equal (req.n_topics, 0);
    gl_wire_req_fini (&req);

    gl_tmb_t m;
    s_mb_init (&m);
    s_mb_head (&m, 4, "replay");
    s_mb_str (&m, "from");
    msgpack_pack_uint64 (&m.pk, 9);
    s_mb_str (&m, "to");
    msgpack_pack_uint64 (&m.pk, 5);
    s_reject_mb (&m, "GID004", "field to (5) is less than from (9)");
    s_mb_fini (&m);
    s_mb_init (&m);
    s_mb_head (&m, 3, "replay");
    s_mb_str (&m, "from");
    msgpack_pack_uint64 (&m.pk, 0);
    s_reject_mb (&m, "GID004", "field from must be a positive integer, got 0");
    s_mb_fini (&m);
    s_mb_init (&m);
    s_mb_head (&m, 3, "replay");
    s_mb_str (&m, "from");
    msgpack_pack_uint64 (&m.pk, 3);
    s_reject_mb (&m, "GID004", "missing field to");
    s_mb_fini (&m);
    s_mb_init (&m);
    s_mb_head (&m, 5, "replay");
    s_mb_str (&m, "from");
    msgpack_pack_uint64 (&m.pk, 1);
    s_mb_str (&m, "to");
    msgpack_pack_uint64 (&m.pk, 2);
    s_mb_str (&m, "topics");
    s_mb_str (&m, "result/");
    s_reject_mb (&m, "GID004", "field topics must be an array of at most 16 str");
    s_mb_fini (&m);

    /* The answer's header. */
    gl_wire_replay_t r = { .epoch = 77, .daemon = "d", .from = 5, .to = 9,
                           .first = 7, .last = 8, .count = 2, .next = 0,
                           .n_gone = 1, .gone = { { 5, 6 } } };
    msgpack_sbuffer_clear (&sb);
    assert_int_equal (gl_wire_encode_replay (&sb, &r), 0);
    gl_wire_msg_t msg;
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err), GL_OK);
    assert_true (s_str_eq (msg.type, msg.type_len, "replay"));
    assert_int_equal (s_get_u64 (&msg.root, "first"), 7);
    assert_int_equal (s_get_u64 (&msg.root, "count"), 2);
    assert_int_equal (s_get_u64 (&msg.root, "next"), 0);
    const msgpack_object *gone = gl_wire_get (&msg.root, "gone");
    assert_non_null (gone);
    assert_int_equal (gone->via.array.size, 1);
    assert_int_equal (gone->via.array.ptr[0].via.array.ptr[0].via.u64, 5);
    assert_int_equal (gone->via.array.ptr[0].via.array.ptr[1].via.u64, 6);
    gl_wire_msg_fini (&msg);

    /* A refusal names the document when it could be read. */
    gl_wire_req_t named = { .id = "doc-1", .id_len = 5 };
    gl_wire_refused_t f = { .epoch = 77, .daemon = "d", .req = &named,
                            .reason = "rate", .why_zh = "请求过于频繁",
                            .why_en = "too many requests",
                            .retry_after_ms = 120 };
    msgpack_sbuffer_clear (&sb);
    assert_int_equal (gl_wire_encode_refused (&sb, &f), 0);
    assert_int_equal (gl_wire_decode_msg (sb.data, sb.size, NULL, &msg, &err), GL_OK);
    assert_true (s_str_eq (msg.type, msg.type_len, "refused"));
    s_assert_get_str (&msg.root, "id", "doc-1");
    s_assert_get_str (&msg.root, "reason", "rate");
    assert_int_equal (s_get_u64 (&msg.root, "retry_after_ms"), 120);
    gl_wire_msg_fini (&msg);
    msgpack_sbuffer_destroy (&sb);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_document_minimal),
        cmocka_unit_test (test_document_full),
        cmocka_unit_test (test_document_lenient),
        cmocka_unit_test (test_control_requests),
        cmocka_unit_test (test_result),
        cmocka_unit_test (test_result_small),
        cmocka_unit_test (test_reject),
        cmocka_unit_test (test_stats),
        cmocka_unit_test (test_health),
        cmocka_unit_test (test_seq),
        cmocka_unit_test (test_getters),
        cmocka_unit_test (test_not_msgpack),
        cmocka_unit_test (test_truncated),
        cmocka_unit_test (test_bad_version),
        cmocka_unit_test (test_bad_type),
        cmocka_unit_test (test_bad_fields),
        cmocka_unit_test (test_partial_read),
        cmocka_unit_test (test_limits),
        cmocka_unit_test (test_nesting),
        cmocka_unit_test (test_huge_counts),
        cmocka_unit_test (test_bad_msg),
        cmocka_unit_test (test_replay),
    };
    return cmocka_run_group_tests_name ("wire", tests, NULL, NULL);
}
