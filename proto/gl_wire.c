/*  gl_wire.c: the gidlint wire protocol (see gl_wire.h, docs/protocol.md).
 *
 *  Decoding is three steps, and the first is the one that matters for
 *  safety.  msgpack-c 4.0.0 allocates room for every element of an array or
 *  map as soon as it reads the count, before the elements, and gives up
 *  (NOMEM) past 32 levels of nesting, so five hostile bytes can ask it for
 *  96 GB.  s_scan() therefore walks the bytes first without allocating:
 *  every length and count must fit in the bytes left, the nesting must stay
 *  within the limit, and exactly one object must fill the buffer.  Only
 *  then does msgpack_unpack_next() build the objects, and then every field
 *  of the message is type-checked.  Every failure is a gl_wire_error_t with
 *  a reason in Chinese and English; none is a crash.
 *
 *  Encoding writes with msgpack_packer into a caller's msgpack_sbuffer.
 *  Results and rejects start with a fixed-size "seq" entry that
 *  gl_wire_patch_seq() fills in later; everything else is packed in the
 *  smallest MessagePack form.  The fields of a document and of a diagnostic
 *  come from gl_doc_fields() and gl_diag_fields(), as for the JSON output,
 *  so both carry the same names.
 *
 *  The module has no global mutable state.
 */
#include "gl_wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*  Defaults for a limit left at 0 (or a NULL limits): the engine's largest
 *  document, plus room for the rest of a message.                          */
#define S_DEFAULT_MAX_BODY ((size_t) GL_DEFAULT_MAX_BYTES)
#define S_DEFAULT_MAX_MESSAGE ((size_t) GL_DEFAULT_MAX_BYTES + 64u * 1024u)

/*  msgpack-c's unpacker cannot nest deeper than its fixed stack
 *  (MSGPACK_EMBED_STACK_SIZE, 32), so a larger max_depth is clamped.      */
#define S_SCAN_MAX_DEPTH 32

/*  Every element of every array and map becomes a 24-byte msgpack_object
 *  in the zone: bounding the total bounds the memory one message can take
 *  (about 25 MB), whatever max_message is.                                 */
#define S_MAX_OBJECTS (1u << 20)

/*  How much of a string from the input a reason quotes.                    */
#define S_QUOTE_BYTES GL_WIRE_QUOTE_BYTES

static const char s_gid002[] = "GID002";
static const char s_gid003[] = "GID003";
static const char s_gid004[] = "GID004";

/*  ---------------------------------------------------------------------
 *  Reasons.                                                               */

/*  Returns the length of the valid UTF-8 sequence at p (at most n bytes
 *  available), or 0 when the bytes there are not valid UTF-8: no overlong
 *  forms, no surrogates, nothing above U+10FFFF.                           */
static size_t
s_utf8_seq (const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    uint8_t b = p[0];
    if (b < 0x80)
        return 1;
    size_t k;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf)
        k = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        k = 3;
        if (b == 0xe0)
            lo = 0xa0;
        else if (b == 0xed)
            hi = 0x9f;
    }
    else if (b >= 0xf0 && b <= 0xf4) {
        k = 4;
        if (b == 0xf0)
            lo = 0x90;
        else if (b == 0xf4)
            hi = 0x8f;
    }
    else
        return 0;
    if (n < k || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return k;
}

static bool
s_utf8_ok (const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *) s;
    for (size_t i = 0; i < n;) {
        size_t k = s_utf8_seq (p + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/*  One printable character of UTF-8 at p: its length, or 0 for a control
 *  character, '"', '\\' or bytes that are not UTF-8.                    */
static size_t
s_printable_seq (const uint8_t *p, size_t n)
{
    size_t k = s_utf8_seq (p, n);
    if (k == 1 && (p[0] < 0x20 || p[0] == 0x7f || p[0] == '"' || p[0] == '\\'))
        return 0;
    return k;
}

bool
gl_wire_printable (const void *s, size_t n)
{
    const uint8_t *p = s;
    for (size_t i = 0, k; i < n; i += k)
        if ((k = s_printable_seq (p + i, n - i)) == 0)
            return false;
    return true;
}

/*  Cuts a NUL-terminated string back to whole UTF-8 characters, in case
 *  snprintf() truncated it in the middle of one.                           */
static void
s_utf8_trim (char *s)
{
    size_t n = strlen (s), i = 0;
    while (i < n) {
        size_t k = s_utf8_seq ((const uint8_t *) s + i, n - i);
        if (k == 0)
            break;
        i += k;
    }
    s[i] = '\0';
}

/*  Writes a short, printable quotation of n bytes from the input into out
 *  (cap bytes): valid UTF-8 except control characters, '"' and '\' is
 *  copied, everything else becomes \xNN, and a long string is cut with an
 *  ellipsis.  Reasons are sent back as MessagePack str and shown to
 *  people, so they must be valid UTF-8 whatever the input was.            */
void
gl_wire_quote (char *out, size_t cap, const void *s, size_t n)
{
    const uint8_t *p = s;
    size_t o = 0, i = 0;
    while (i < n && i < S_QUOTE_BYTES && o + 8 < cap) {
        size_t k = s_printable_seq (p + i, n - i);
        if (k == 0) {
            snprintf (out + o, cap - o, "\\x%02x", p[i]);
            o += 4;
            i++;
        }
        else {
            memcpy (out + o, p + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    if (i < n && o + 4 <= cap)
        memcpy (out + o, "\xe2\x80\xa6", 4);        /* U+2026 and NUL    */
}

/*  Sets the reject code and both reasons.  Both formats take the same
 *  arguments in the same order.                                            */
static void s_fail (gl_wire_error_t *err, const char *code,
                    const char *zh, const char *en, ...)
    __attribute__ ((format (printf, 3, 5), format (printf, 4, 5)));

static void
s_fail (gl_wire_error_t *err, const char *code, const char *zh,
        const char *en, ...)
{
    va_list ap, aq;
    va_start (ap, en);
    va_copy (aq, ap);
    err->code = code;
    vsnprintf (err->why_zh, sizeof err->why_zh, zh, ap);
    vsnprintf (err->why_en, sizeof err->why_en, en, aq);
    va_end (aq);
    va_end (ap);
    s_utf8_trim (err->why_zh);
    s_utf8_trim (err->why_en);
}

/*  The MessagePack type of an object, as a reason names it.                */
static const char *
s_type_name (const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return "nil";
    case MSGPACK_OBJECT_BOOLEAN:
        return "bool";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return "int";
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return "float";
    case MSGPACK_OBJECT_STR:
        return "str";
    case MSGPACK_OBJECT_BIN:
        return "bin";
    case MSGPACK_OBJECT_ARRAY:
        return "array";
    case MSGPACK_OBJECT_MAP:
        return "map";
    case MSGPACK_OBJECT_EXT:
        return "ext";
    }
    return "?";
}

/*  ---------------------------------------------------------------------
 *  The pre-scan.                                                          */

static uint64_t
s_be (const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

static bool
s_truncated (gl_wire_error_t *err, size_t len)
{
    s_fail (err, s_gid004, "消息不是有效的 MessagePack：第 %zu 字节处截断",
            "not valid MessagePack: truncated at byte %zu", len);
    return false;
}

/*  Walks the one MessagePack object that must fill p[0..len) without
 *  allocating anything.  Fails, with a reason in err, on a truncated
 *  object, a byte that starts no object (0xc1), a str/bin/ext longer than
 *  the bytes left, an array or map that declares more elements than the
 *  bytes left could hold (every element takes at least one byte, so the
 *  elements still owed to all open containers must fit), nesting deeper
 *  than max_depth, more than S_MAX_OBJECTS elements in all, and trailing
 *  bytes.  Depth counts containers: the top-level map is depth 1.         */
static bool
s_scan (const uint8_t *p, size_t len, size_t max_depth, gl_wire_error_t *err)
{
    uint64_t left[S_SCAN_MAX_DEPTH];    /* elements owed, per open container */
    size_t depth = 0;
    uint64_t owed = 0;                  /* sum of left[]                     */
    uint64_t objects = 0;               /* elements declared so far          */
    size_t off = 0;

    for (;;) {
        size_t at = off;
        if (off >= len)
            return s_truncated (err, len);
        if (depth > 0) {
            left[depth - 1]--;
            owed--;
        }
        uint8_t b = p[off++];
        size_t fixed = 0;               /* payload of a fixed-size object    */
        size_t len_bytes = 0;           /* size of a length or count field   */
        uint64_t count = 0;             /* payload bytes, or elements        */
        size_t extra = 0;               /* an ext's type byte                */
        int shape = 0;                  /* 0 scalar, 1 sized, 2 array, 3 map */
        const char *what = "str";

        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
            shape = 0;
        else if (b <= 0x8f) {
            shape = 3;
            count = b & 0x0f;
        }
        else if (b <= 0x9f) {
            shape = 2;
            count = b & 0x0f;
        }
        else if (b <= 0xbf) {
            shape = 1;
            count = b & 0x1f;
        }
        else {
            switch (b) {
            case 0xc4: case 0xc5: case 0xc6:
                shape = 1;
                what = "bin";
                len_bytes = (size_t) 1 << (b - 0xc4);
                break;
            case 0xc7: case 0xc8: case 0xc9:
                shape = 1;
                what = "ext";
                len_bytes = (size_t) 1 << (b - 0xc7);
                extra = 1;
                break;
            case 0xca:
                fixed = 4;
                break;
            case 0xcb:
                fixed = 8;
                break;
            case 0xcc: case 0xcd: case 0xce: case 0xcf:
                fixed = (size_t) 1 << (b - 0xcc);
                break;
            case 0xd0: case 0xd1: case 0xd2: case 0xd3:
                fixed = (size_t) 1 << (b - 0xd0);
                break;
            case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
                fixed = 1 + ((size_t) 1 << (b - 0xd4));   /* type, data  */
                break;
            case 0xd9: case 0xda: case 0xdb:
                shape = 1;
                len_bytes = (size_t) 1 << (b - 0xd9);
                break;
            case 0xdc: case 0xdd:
                shape = 2;
                len_bytes = b == 0xdc ? 2 : 4;
                break;
            case 0xde: case 0xdf:
                shape = 3;
                len_bytes = b == 0xde ? 2 : 4;
                break;
            default:                                    /* 0xc1          */
                s_fail (err, s_gid004,
                        "消息不是有效的 MessagePack：第 %zu 字节（0x%02x）"
                        "不是任何类型的开头",
                        "not valid MessagePack: byte %zu (0x%02x) starts "
                        "no object", at, (unsigned) b);
                return false;
            }
        }

        if (len_bytes > 0) {
            if (len - off < len_bytes)
                return s_truncated (err, len);
            count = s_be (p + off, len_bytes);
            off += len_bytes;
        }
        if (shape == 0) {
            if (len - off < fixed)
                return s_truncated (err, len);
            off += fixed;
        }
        else if (shape == 1) {
            if (count + extra > len - off) {
                s_fail (err, s_gid004,
                        "消息不是有效的 MessagePack：第 %zu 字节处的 %s "
                        "声明长度 %llu 字节，但只剩 %zu 字节",
                        "not valid MessagePack: at byte %zu, the %s header "
                        "declares %llu bytes but only %zu are left",
                        at, what, (unsigned long long) count, len - off);
                return false;
            }
            off += (size_t) (count + extra);
        }
        else {
            bool map = shape == 3;
            uint64_t elems = map ? 2 * count : count;
            if (depth + 1 > max_depth) {
                s_fail (err, s_gid004, "嵌套层数超过 %zu（第 %zu 字节）",
                        "nesting deeper than %zu (at byte %zu)", max_depth,
                        at);
                return false;
            }
            if (owed + elems > len - off) {
                /* Each format prints one of the two units (%.0s prints
                 * nothing), so both take the same arguments.             */
                s_fail (err, s_gid004,
                        "消息不是有效的 MessagePack：第 %zu 字节处的 %s "
                        "声明 %llu 个%s%.0s，剩下的 %zu 字节容纳不下",
                        "not valid MessagePack: at byte %zu, the %s header "
                        "declares %llu %.0s%s, more than the %zu bytes left "
                        "can hold",
                        at, map ? "map" : "array", (unsigned long long) count,
                        map ? "条目" : "元素", map ? "entries" : "elements",
                        len - off);
                return false;
            }
            objects += elems;
            if (objects > S_MAX_OBJECTS) {
                s_fail (err, s_gid004, "消息包含的对象超过 %u 个",
                        "the message holds more than %u objects",
                        (unsigned) S_MAX_OBJECTS);
                return false;
            }
            if (elems > 0) {
                left[depth++] = elems;
                owed += elems;
            }
        }
        while (depth > 0 && left[depth - 1] == 0)
            depth--;
        if (depth == 0)
            break;
    }
    if (off != len) {
        s_fail (err, s_gid004,
                "消息不是有效的 MessagePack：消息在第 %zu 字节结束，"
                "其后还有 %zu 字节多余数据",
                "not valid MessagePack: the message ends at byte %zu, "
                "followed by %zu extra bytes", off, len - off);
        return false;
    }
    return true;
}

/*  ---------------------------------------------------------------------
 *  Decoding.                                                              */

static void
s_limits (const gl_wire_limits_t *in, gl_wire_limits_t *out)
{
    out->max_message = in && in->max_message ? in->max_message
                                             : S_DEFAULT_MAX_MESSAGE;
    out->max_body = in && in->max_body ? in->max_body : S_DEFAULT_MAX_BODY;
    out->max_depth = in && in->max_depth ? in->max_depth : GL_WIRE_MAX_DEPTH;
    if (out->max_depth > S_SCAN_MAX_DEPTH)
        out->max_depth = S_SCAN_MAX_DEPTH;
}

static void
s_err_init (gl_wire_error_t *err)
{
    err->code = NULL;
    err->why_zh[0] = '\0';
    err->why_en[0] = '\0';
}

/*  Checks the size, pre-scans, unpacks into *up and checks that the top
 *  level is a map with string keys.                                        */
static gl_err_t
s_unpack (const void *buf, size_t len, const gl_wire_limits_t *limits,
          msgpack_unpacked *up, msgpack_object *root, gl_wire_error_t *err)
{
    gl_wire_limits_t lim;
    s_limits (limits, &lim);
    if (len == 0) {
        s_fail (err, s_gid004, "消息为空（0 字节）",
                "the message is empty (0 bytes)");
        return GL_EPROTO;
    }
    if (len > lim.max_message) {
        /* Too large, not malformed: the same code as a body over its own
         * limit, which is nearly always why a message is this big.       */
        s_fail (err, s_gid003, "消息大小 %zu 字节，超过上限 %zu 字节",
                "the message is %zu bytes, over the limit of %zu bytes",
                len, lim.max_message);
        return GL_EPROTO;
    }
    if (!s_scan (buf, len, lim.max_depth, err))
        return GL_EPROTO;

    size_t off = 0;
    msgpack_unpack_return ret = msgpack_unpack_next (up, buf, len, &off);
    if (ret == MSGPACK_UNPACK_NOMEM_ERROR)
        return GL_ENOMEM;
    if (ret != MSGPACK_UNPACK_SUCCESS || off != len) {
        /* The scan accepted it, so this would be a disagreement between
         * the scan and msgpack-c; still a reject, never trusted.          */
        s_fail (err, s_gid004, "消息不是有效的 MessagePack（解码失败）",
                "not valid MessagePack (the decoder failed)");
        return GL_EPROTO;
    }
    *root = up->data;
    if (root->type != MSGPACK_OBJECT_MAP) {
        s_fail (err, s_gid004, "消息应为 map 类型，实际为 %s",
                "the message must be a map, got %s", s_type_name (root));
        return GL_EPROTO;
    }
    for (uint32_t i = 0; i < root->via.map.size; i++) {
        const msgpack_object *k = &root->via.map.ptr[i].key;
        if (k->type != MSGPACK_OBJECT_STR) {
            s_fail (err, s_gid004, "消息的第 %u 个键应为 str 类型，实际为 %s",
                    "key %u of the message must be a str, got %s",
                    (unsigned) i + 1, s_type_name (k));
            return GL_EPROTO;
        }
    }
    return GL_OK;
}

static bool
s_key_is (const msgpack_object *k, const char *name)
{
    size_t n = strlen (name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n
           && memcmp (k->via.str.ptr, name, n) == 0;
}

/*  Finds the values of the n known keys of a top-level map (NULL when
 *  absent).  A known key given twice is a reject: two decoders could
 *  otherwise read the same message differently.                            */
static bool
s_fields (const msgpack_object *root, const char *const *names, size_t n,
          const msgpack_object **out, gl_wire_error_t *err)
{
    for (size_t j = 0; j < n; j++)
        out[j] = NULL;
    for (uint32_t i = 0; i < root->via.map.size; i++) {
        const msgpack_object_kv *kv = &root->via.map.ptr[i];
        for (size_t j = 0; j < n; j++) {
            if (!s_key_is (&kv->key, names[j]))
                continue;
            if (out[j]) {
                s_fail (err, s_gid004, "字段 %s 重复", "duplicate field %s",
                        names[j]);
                return false;
            }
            out[j] = &kv->val;
            break;
        }
    }
    return true;
}

/*  "v": present, a positive integer, and our version.                      */
static bool
s_check_version (const msgpack_object *v, gl_wire_error_t *err)
{
    if (!v) {
        s_fail (err, s_gid004, "缺少字段 v（协议版本）",
                "missing field v (the protocol version)");
        return false;
    }
    if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER || v->via.u64 == 0) {
        s_fail (err, s_gid004, "字段 v 应为正整数，实际为 %s",
                "field v must be a positive integer, got %s",
                v->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? "0"
                                                           : s_type_name (v));
        return false;
    }
    if (v->via.u64 != GL_WIRE_VERSION) {
        s_fail (err, s_gid004, "不支持的协议版本 %llu（支持的版本为 %d）",
                "unsupported protocol version %llu (supported: %d)",
                (unsigned long long) v->via.u64, GL_WIRE_VERSION);
        return false;
    }
    return true;
}

static bool
s_check_type (const msgpack_object *t, gl_wire_error_t *err)
{
    if (!t) {
        s_fail (err, s_gid004, "缺少字段 type", "missing field type");
        return false;
    }
    if (t->type != MSGPACK_OBJECT_STR) {
        s_fail (err, s_gid004, "字段 type 应为 str 类型，实际为 %s",
                "field type must be a str, got %s", s_type_name (t));
        return false;
    }
    return true;
}

/*  A string field: str, min..GL_WIRE_MAX_ID bytes of UTF-8 without
 *  control characters (these are names people read, and C consumers must
 *  not meet a NUL), and for a source no '/' (it is part of a topic, where
 *  '/' ends it).  o may be NULL (absent); nil is absent too for an optional
 *  field; required says whether absence is a reject.                       */
static bool
s_check_name (const msgpack_object *o, const char *field, bool required,
              size_t min, bool is_source, gl_wire_error_t *err)
{
    if (!o || (!required && o->type == MSGPACK_OBJECT_NIL)) {
        if (required)
            s_fail (err, s_gid004, "缺少字段 %s", "missing field %s", field);
        return !required;
    }
    if (o->type != MSGPACK_OBJECT_STR) {
        s_fail (err, s_gid004, "字段 %s 应为 str 类型，实际为 %s",
                "field %s must be a str, got %s", field, s_type_name (o));
        return false;
    }
    size_t n = o->via.str.size;
    if (n < min || n > GL_WIRE_MAX_ID) {
        s_fail (err, s_gid004,
                "字段 %s 的长度应为 %zu 到 %d 字节，实际为 %zu 字节",
                "field %s must be %zu to %d bytes long, got %zu", field, min,
                GL_WIRE_MAX_ID, n);
        return false;
    }
    if (!s_utf8_ok (o->via.str.ptr, n)) {
        s_fail (err, s_gid004, "字段 %s 不是有效的 UTF-8",
                "field %s is not valid UTF-8", field);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t) o->via.str.ptr[i];
        if (c < 0x20 || c == 0x7f) {
            s_fail (err, s_gid004, "字段 %s 不能包含控制字符",
                    "field %s must not contain control characters", field);
            return false;
        }
    }
    if (is_source && memchr (o->via.str.ptr, '/', n)) {
        s_fail (err, s_gid004, "字段 %s 不能包含 \"/\"",
                "field %s must not contain \"/\"", field);
        return false;
    }
    return true;
}

/*  "lang": absent (or nil) is Chinese; otherwise "zh" or "en".             */
static bool
s_check_lang (const msgpack_object *o, gl_lang_t *lang, gl_wire_error_t *err)
{
    *lang = GL_LANG_ZH;
    if (!o || o->type == MSGPACK_OBJECT_NIL)
        return true;
    if (o->type != MSGPACK_OBJECT_STR) {
        s_fail (err, s_gid004, "字段 lang 应为 str 类型，实际为 %s",
                "field lang must be a str, got %s", s_type_name (o));
        return false;
    }
    if (s_key_is (o, "zh"))
        return true;
    if (s_key_is (o, "en")) {
        *lang = GL_LANG_EN;
        return true;
    }
    char q[GL_WIRE_QUOTE_CAP];
    gl_wire_quote (q, sizeof q, o->via.str.ptr, o->via.str.size);
    s_fail (err, s_gid004, "字段 lang 应为 \"zh\" 或 \"en\"，实际为 \"%s\"",
            "field lang must be \"zh\" or \"en\", got \"%s\"", q);
    return false;
}

static void
s_req_init (gl_wire_req_t *req)
{
    memset (req, 0, sizeof *req);
    req->lang = GL_LANG_ZH;
    req->meta.type = MSGPACK_OBJECT_NIL;
    msgpack_unpacked_init (&req->unpacked);
}

enum { S_V, S_TYPE, S_ID, S_BODY, S_NAME, S_SOURCE, S_LANG, S_META,
       S_FROM, S_TO, S_EPOCH, S_TOPICS, S_N };

/*  A seq or epoch field: a positive integer (absent: false, no error, when
 *  optional).                                                              */
static bool
s_check_u64 (const msgpack_object *o, const char *field, bool required,
             uint64_t *v, gl_wire_error_t *err)
{
    *v = 0;
    if (!o) {
        if (required)
            s_fail (err, s_gid004, "缺少字段 %s", "missing field %s", field);
        return !required;
    }
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 == 0) {
        s_fail (err, s_gid004, "字段 %s 应为正整数，实际为 %s",
                "field %s must be a positive integer, got %s", field,
                o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? "0"
                                                           : s_type_name (o));
        return false;
    }
    *v = o->via.u64;
    return true;
}

/*  "replay": from <= to, an optional epoch, optional topic prefixes.      */
static gl_err_t
s_decode_replay (const msgpack_object *const *f, gl_wire_req_t *req,
                 gl_wire_error_t *err)
{
    req->kind = GL_WIRE_REQ_REPLAY;
    if (!s_check_u64 (f[S_FROM], "from", true, &req->from, err)
        || !s_check_u64 (f[S_TO], "to", true, &req->to, err)
        || !s_check_u64 (f[S_EPOCH], "epoch", false, &req->epoch, err))
        return GL_EPROTO;
    if (req->to < req->from) {
        s_fail (err, s_gid004, "字段 to（%llu）小于 from（%llu）",
                "field to (%llu) is less than from (%llu)",
                (unsigned long long) req->to, (unsigned long long) req->from);
        return GL_EPROTO;
    }
    const msgpack_object *t = f[S_TOPICS];
    if (!t || t->type == MSGPACK_OBJECT_NIL)
        return GL_OK;
    if (t->type != MSGPACK_OBJECT_ARRAY || t->via.array.size > GL_WIRE_MAX_TOPICS) {
        s_fail (err, s_gid004, "字段 topics 应为最多 %d 个 str 的 array",
                "field topics must be an array of at most %d str",
                GL_WIRE_MAX_TOPICS);
        return GL_EPROTO;
    }
    for (uint32_t i = 0; i < t->via.array.size; i++) {
        const msgpack_object *o = &t->via.array.ptr[i];
        if (o->type != MSGPACK_OBJECT_STR || o->via.str.size > 2 * GL_WIRE_MAX_ID) {
            s_fail (err, s_gid004, "topics 的第 %u 项应为不超过 %d 字节的 str",
                    "item %u of topics must be a str of at most %d bytes",
                    (unsigned) i + 1, 2 * GL_WIRE_MAX_ID);
            return GL_EPROTO;
        }
    }
    req->topics = t->via.array.ptr;
    req->n_topics = t->via.array.size;
    return GL_OK;
}

gl_err_t
gl_wire_decode_req (const void *buf, size_t len,
                    const gl_wire_limits_t *limits, gl_wire_req_t *req,
                    gl_wire_error_t *err)
{
    static const char *const names[S_N] = {
        "v", "type", "id", "body", "name", "source", "lang", "meta",
        "from", "to", "epoch", "topics"
    };
    if (!req || !err)
        return GL_EINVAL;
    s_req_init (req);
    s_err_init (err);
    if (!buf && len > 0)
        return GL_EINVAL;

    msgpack_object root;
    gl_err_t rc = s_unpack (buf, len, limits, &req->unpacked, &root, err);
    if (rc != GL_OK)
        return rc;
    const msgpack_object *f[S_N];
    if (!s_fields (&root, names, S_N, f, err))
        return GL_EPROTO;

    /* Whatever else is wrong, a reject should name the document and its
     * producer, and speak its language: take id, source and lang first
     * when they are valid, without judging them yet.                    */
    gl_wire_error_t scratch;
    if (f[S_ID] && s_check_name (f[S_ID], "id", true, 1, false, &scratch)) {
        req->id = f[S_ID]->via.str.ptr;
        req->id_len = f[S_ID]->via.str.size;
    }
    if (f[S_SOURCE] && f[S_SOURCE]->type == MSGPACK_OBJECT_STR
        && s_check_name (f[S_SOURCE], "source", false, 1, true, &scratch)) {
        req->source = f[S_SOURCE]->via.str.ptr;
        req->source_len = f[S_SOURCE]->via.str.size;
    }
    gl_lang_t lang;
    if (s_check_lang (f[S_LANG], &lang, &scratch))
        req->lang = lang;

    if (!s_check_version (f[S_V], err) || !s_check_type (f[S_TYPE], err))
        return GL_EPROTO;
    const msgpack_object *t = f[S_TYPE];
    if (s_key_is (t, "health")) {
        req->kind = GL_WIRE_REQ_HEALTH;
        return GL_OK;
    }
    if (s_key_is (t, "stats")) {
        req->kind = GL_WIRE_REQ_STATS;
        return GL_OK;
    }
    if (s_key_is (t, "replay"))
        return s_decode_replay (f, req, err);
    if (!s_key_is (t, "document")) {
        char q[GL_WIRE_QUOTE_CAP];
        gl_wire_quote (q, sizeof q, t->via.str.ptr, t->via.str.size);
        s_fail (err, s_gid004,
                "未知的消息类型 \"%s\"（应为 document、health、stats 或 replay）",
                "unknown message type \"%s\" (expected document, health, "
                "stats or replay)", q);
        return GL_EPROTO;
    }
    req->kind = GL_WIRE_REQ_DOCUMENT;

    if (!s_check_name (f[S_ID], "id", true, 1, false, err))
        return GL_EPROTO;
    const msgpack_object *body = f[S_BODY];
    if (!body) {
        s_fail (err, s_gid004, "缺少字段 body", "missing field body");
        return GL_EPROTO;
    }
    /* bin is the type; str is accepted too, for producers in languages
     * whose MessagePack library has no bin type.  Either way the bytes
     * are the document as it was, in any encoding the engine reads.     */
    if (body->type != MSGPACK_OBJECT_BIN && body->type != MSGPACK_OBJECT_STR) {
        s_fail (err, s_gid004, "字段 body 应为 bin 类型，实际为 %s",
                "field body must be bin, got %s", s_type_name (body));
        return GL_EPROTO;
    }
    if (!s_check_name (f[S_NAME], "name", false, 0, false, err))
        return GL_EPROTO;
    if (f[S_NAME] && f[S_NAME]->type == MSGPACK_OBJECT_STR) {
        req->name = f[S_NAME]->via.str.ptr;
        req->name_len = f[S_NAME]->via.str.size;
    }
    if (!s_check_name (f[S_SOURCE], "source", false, 1, true, err))
        return GL_EPROTO;
    if (!s_check_lang (f[S_LANG], &lang, err))
        return GL_EPROTO;
    const msgpack_object *meta = f[S_META];
    if (meta && meta->type != MSGPACK_OBJECT_NIL) {
        if (meta->type != MSGPACK_OBJECT_MAP) {
            s_fail (err, s_gid004, "字段 meta 应为 map 类型，实际为 %s",
                    "field meta must be a map, got %s", s_type_name (meta));
            return GL_EPROTO;
        }
        req->meta = *meta;
    }

    /* The body: bin and str share the layout of via.bin and via.str.    */
    size_t n = body->type == MSGPACK_OBJECT_BIN ? body->via.bin.size
                                                : body->via.str.size;
    const char *p = body->type == MSGPACK_OBJECT_BIN ? body->via.bin.ptr
                                                     : body->via.str.ptr;
    gl_wire_limits_t lim;
    s_limits (limits, &lim);
    if (n == 0) {
        s_fail (err, s_gid002, "文档为空（body 为 0 字节）",
                "the document is empty (body is 0 bytes)");
        return GL_EPROTO;
    }
    if (n > lim.max_body) {
        s_fail (err, s_gid003, "文档大小 %zu 字节，超过上限 %zu 字节",
                "the document is %zu bytes, over the limit of %zu bytes", n,
                lim.max_body);
        return GL_EPROTO;
    }
    req->body = (const uint8_t *) p;
    req->body_len = n;
    return GL_OK;
}

void
gl_wire_req_fini (gl_wire_req_t *req)
{
    if (!req)
        return;
    msgpack_unpacked_destroy (&req->unpacked);
    s_req_init (req);
}

gl_err_t
gl_wire_decode_msg (const void *buf, size_t len,
                    const gl_wire_limits_t *limits, gl_wire_msg_t *msg,
                    gl_wire_error_t *err)
{
    static const char *const names[2] = { "v", "type" };
    if (!msg || !err)
        return GL_EINVAL;
    memset (msg, 0, sizeof *msg);
    msg->root.type = MSGPACK_OBJECT_NIL;
    msgpack_unpacked_init (&msg->unpacked);
    s_err_init (err);
    if (!buf && len > 0)
        return GL_EINVAL;

    msgpack_object root;
    gl_err_t rc = s_unpack (buf, len, limits, &msg->unpacked, &root, err);
    if (rc != GL_OK)
        return rc;
    const msgpack_object *f[2];
    if (!s_fields (&root, names, 2, f, err) || !s_check_version (f[0], err)
        || !s_check_type (f[1], err))
        return GL_EPROTO;
    msg->root = root;
    msg->type = f[1]->via.str.ptr;
    msg->type_len = f[1]->via.str.size;
    return GL_OK;
}

void
gl_wire_msg_fini (gl_wire_msg_t *msg)
{
    if (!msg)
        return;
    msgpack_unpacked_destroy (&msg->unpacked);
    memset (msg, 0, sizeof *msg);
    msg->root.type = MSGPACK_OBJECT_NIL;
    msgpack_unpacked_init (&msg->unpacked);
}

/*  ---------------------------------------------------------------------
 *  Lookups.                                                               */

const msgpack_object *
gl_wire_get (const msgpack_object *map, const char *key)
{
    if (!map || !key || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (s_key_is (&map->via.map.ptr[i].key, key))
            return &map->via.map.ptr[i].val;
    return NULL;
}

bool
gl_wire_get_str (const msgpack_object *map, const char *key, const char **s,
                 size_t *len)
{
    const msgpack_object *o = gl_wire_get (map, key);
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return false;
    if (s)
        *s = o->via.str.ptr;
    if (len)
        *len = o->via.str.size;
    return true;
}

bool
gl_wire_get_u64 (const msgpack_object *map, const char *key, uint64_t *v)
{
    const msgpack_object *o = gl_wire_get (map, key);
    if (!o || o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return false;
    if (v)
        *v = o->via.u64;
    return true;
}

bool
gl_wire_get_i64 (const msgpack_object *map, const char *key, int64_t *v)
{
    const msgpack_object *o = gl_wire_get (map, key);
    int64_t x;
    if (!o)
        return false;
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX)
        x = (int64_t) o->via.u64;
    else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        x = o->via.i64;
    else
        return false;
    if (v)
        *v = x;
    return true;
}

bool
gl_wire_get_f64 (const msgpack_object *map, const char *key, double *v)
{
    const msgpack_object *o = gl_wire_get (map, key);
    double x;
    if (!o)
        return false;
    switch (o->type) {
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        x = o->via.f64;
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        x = (double) o->via.u64;
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        x = (double) o->via.i64;
        break;
    default:
        return false;
    }
    if (v)
        *v = x;
    return true;
}

/*  ---------------------------------------------------------------------
 *  Encoding.  A gl_wpk_t remembers where its message began and whether
 *  any write failed; s_end() then either keeps the message or cuts the
 *  buffer back, so a failed encoder leaves sb as it found it.             */

typedef struct {
    msgpack_sbuffer *sb;
    msgpack_packer pk;
    size_t start;
    int rc;
} gl_wpk_t;

static void
s_begin (gl_wpk_t *w, msgpack_sbuffer *sb)
{
    w->sb = sb;
    w->start = sb->size;
    w->rc = 0;
    msgpack_packer_init (&w->pk, sb, msgpack_sbuffer_write);
}

static int
s_end (gl_wpk_t *w)
{
    if (w->rc != 0) {
        w->sb->size = w->start;
        return -1;
    }
    return 0;
}

static void
s_raw (gl_wpk_t *w, const void *bytes, size_t n)
{
    w->rc |= msgpack_sbuffer_write (w->sb, bytes, n);
}

/*  A map16 header whatever the count (msgpack_pack_map() would use a
 *  fixmap below 16 entries): results and rejects must have the same
 *  layout up to the seq value.                                             */
static void
s_map16 (gl_wpk_t *w, size_t n)
{
    uint8_t h[3] = { 0xde, (uint8_t) (n >> 8), (uint8_t) n };
    s_raw (w, h, sizeof h);
}

/*  "seq" as 0xcf and eight zero bytes, patched by gl_wire_patch_seq().     */
static void
s_seq (gl_wpk_t *w)
{
    static const uint8_t seq[13] = { 0xa3, 's', 'e', 'q', 0xcf,
                                     0, 0, 0, 0, 0, 0, 0, 0 };
    s_raw (w, seq, sizeof seq);
}

static void
s_str (gl_wpk_t *w, const char *s, size_t n)
{
    w->rc |= msgpack_pack_str_with_body (&w->pk, s, n);
}

static void
s_key (gl_wpk_t *w, const char *key)
{
    s_str (w, key, strlen (key));
}

static void
s_kv_str (gl_wpk_t *w, const char *key, const char *value)
{
    s_key (w, key);
    s_str (w, value ? value : "", value ? strlen (value) : 0);
}

static void
s_kv_strn (gl_wpk_t *w, const char *key, const char *value, size_t n)
{
    s_key (w, key);
    s_str (w, value, n);
}

static void
s_kv_u64 (gl_wpk_t *w, const char *key, uint64_t value)
{
    s_key (w, key);
    w->rc |= msgpack_pack_uint64 (&w->pk, value);
}

static void
s_kv_i64 (gl_wpk_t *w, const char *key, int64_t value)
{
    s_key (w, key);
    w->rc |= msgpack_pack_int64 (&w->pk, value);
}

static void
s_kv_f64 (gl_wpk_t *w, const char *key, double value)
{
    s_key (w, key);
    w->rc |= msgpack_pack_double (&w->pk, value);
}

/*  The field visitor's sink: each field becomes one map entry.            */
static void
s_sink_str (void *ctx, const char *key, const char *value)
{
    s_kv_str (ctx, key, value);
}

static void
s_sink_num (void *ctx, const char *key, int64_t value)
{
    s_kv_i64 (ctx, key, value);
}

static void
s_sink_real (void *ctx, const char *key, double value)
{
    s_kv_f64 (ctx, key, value);
}

static const gl_field_sink_t s_sink = { s_sink_str, s_sink_num,
                                        s_sink_real };

/*  v and type, the first entries of every message but results and
 *  rejects (where they follow seq).                                        */
static void
s_head (gl_wpk_t *w, const char *type)
{
    s_kv_u64 (w, "v", GL_WIRE_VERSION);
    s_kv_str (w, "type", type);
}

int
gl_wire_encode_document (msgpack_sbuffer *sb, const gl_wire_doc_t *doc)
{
    gl_wpk_t w;
    if (!sb || !doc || !doc->id || (!doc->body && doc->body_len > 0))
        return -1;
    s_begin (&w, sb);
    bool meta = doc->meta && doc->meta->type == MSGPACK_OBJECT_MAP;
    size_t n = 4 + (doc->name != NULL) + (doc->source != NULL)
               + (doc->lang != NULL) + meta;
    w.rc |= msgpack_pack_map (&w.pk, n);
    s_head (&w, "document");
    s_kv_str (&w, "id", doc->id);
    s_key (&w, "body");
    w.rc |= msgpack_pack_bin_with_body (&w.pk, doc->body ? doc->body : "",
                                        doc->body_len);
    if (doc->name)
        s_kv_str (&w, "name", doc->name);
    if (doc->source)
        s_kv_str (&w, "source", doc->source);
    if (doc->lang)
        s_kv_str (&w, "lang", doc->lang);
    if (meta) {
        s_key (&w, "meta");
        w.rc |= msgpack_pack_object (&w.pk, *doc->meta);
    }
    return s_end (&w);
}

static int
s_encode_bare (msgpack_sbuffer *sb, const char *type)
{
    gl_wpk_t w;
    if (!sb)
        return -1;
    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 2);
    s_head (&w, type);
    return s_end (&w);
}

int
gl_wire_encode_health_req (msgpack_sbuffer *sb)
{
    return s_encode_bare (sb, "health");
}

int
gl_wire_encode_stats_req (msgpack_sbuffer *sb)
{
    return s_encode_bare (sb, "stats");
}

int
gl_wire_encode_replay_req (msgpack_sbuffer *sb, uint64_t from, uint64_t to,
                           uint64_t epoch, const char *const *topics,
                           size_t n_topics)
{
    gl_wpk_t w;
    if (!sb || n_topics > GL_WIRE_MAX_TOPICS || (n_topics && !topics))
        return -1;
    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 4 + (epoch != 0) + (n_topics != 0));
    s_head (&w, "replay");
    s_kv_u64 (&w, "from", from);
    s_kv_u64 (&w, "to", to);
    if (epoch)
        s_kv_u64 (&w, "epoch", epoch);
    if (n_topics) {
        s_key (&w, "topics");
        w.rc |= msgpack_pack_array (&w.pk, n_topics);
        for (size_t i = 0; i < n_topics; i++)
            s_str (&w, topics[i], strlen (topics[i]));
    }
    return s_end (&w);
}

int
gl_wire_encode_replay (msgpack_sbuffer *sb, const gl_wire_replay_t *r)
{
    gl_wpk_t w;
    if (!sb || !r || r->n_gone > GL_WIRE_MAX_GONE)
        return -1;
    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 12);
    s_head (&w, "replay");
    s_kv_u64 (&w, "epoch", r->epoch);
    s_kv_str (&w, "daemon", r->daemon);
    s_kv_u64 (&w, "from", r->from);
    s_kv_u64 (&w, "to", r->to);
    s_kv_u64 (&w, "first", r->first);
    s_kv_u64 (&w, "last", r->last);
    s_kv_u64 (&w, "count", r->count);
    s_kv_u64 (&w, "next", r->next);
    s_key (&w, "other_epoch");
    w.rc |= r->other_epoch ? msgpack_pack_true (&w.pk)
                           : msgpack_pack_false (&w.pk);
    s_key (&w, "gone");
    w.rc |= msgpack_pack_array (&w.pk, r->n_gone);
    for (size_t i = 0; i < r->n_gone; i++) {
        w.rc |= msgpack_pack_array (&w.pk, 2);
        w.rc |= msgpack_pack_uint64 (&w.pk, r->gone[i][0]);
        w.rc |= msgpack_pack_uint64 (&w.pk, r->gone[i][1]);
    }
    return s_end (&w);
}

int
gl_wire_encode_refused (msgpack_sbuffer *sb, const gl_wire_refused_t *r)
{
    gl_wpk_t w;
    if (!sb || !r || !r->reason || !r->why_zh || !r->why_en)
        return -1;
    const gl_wire_req_t *req = r->req;
    bool id = req && req->id, source = req && req->source;
    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 8 + id + source);
    s_head (&w, "refused");
    s_kv_u64 (&w, "epoch", r->epoch);
    s_kv_str (&w, "daemon", r->daemon);
    if (id)
        s_kv_strn (&w, "id", req->id, req->id_len);
    if (source)
        s_kv_strn (&w, "source", req->source, req->source_len);
    s_kv_str (&w, "reason", r->reason);
    s_kv_str (&w, "reason_zh", r->why_zh);
    s_kv_str (&w, "reason_en", r->why_en);
    s_kv_u64 (&w, "retry_after_ms", r->retry_after_ms);
    return s_end (&w);
}

void
gl_wire_patch_seq (void *buf, size_t len, uint64_t seq)
{
    static const uint8_t head[5] = { 0xa3, 's', 'e', 'q', 0xcf };
    uint8_t *p = buf;
    if (!p || len < GL_WIRE_SEQ_OFFSET + 8 || p[0] != 0xde
        || memcmp (p + 3, head, sizeof head) != 0)
        return;
    for (int i = 7; i >= 0; i--) {
        p[GL_WIRE_SEQ_OFFSET + i] = (uint8_t) seq;
        seq >>= 8;
    }
}

int
gl_wire_encode_result (msgpack_sbuffer *sb, const gl_wire_result_t *r)
{
    gl_wpk_t w;
    if (!sb || !r || !r->doc)
        return -1;
    const gl_wire_req_t *req = r->req;
    bool id = req && req->id, name = req && req->name;
    bool source = req && req->source;
    bool meta = req && req->meta.type == MSGPACK_OBJECT_MAP;
    size_t n_doc = gl_doc_fields (r->doc, NULL, NULL);
    size_t n = 9 + id + name + source + n_doc + meta;

    s_begin (&w, sb);
    s_map16 (&w, n);
    s_seq (&w);
    s_head (&w, "result");
    s_kv_u64 (&w, "epoch", r->epoch);
    s_kv_str (&w, "daemon", r->daemon);
    if (id)
        s_kv_strn (&w, "id", req->id, req->id_len);
    if (name)
        s_kv_strn (&w, "name", req->name, req->name_len);
    if (source)
        s_kv_strn (&w, "source", req->source, req->source_len);
    s_kv_f64 (&w, "received", r->received);
    s_kv_f64 (&w, "processing_ms", r->processing_ms);
    gl_doc_fields (r->doc, &s_sink, &w);

    s_key (&w, "counts");
    w.rc |= msgpack_pack_map (&w.pk, 3);
    s_kv_u64 (&w, "error", gl_doc_count (r->doc, GL_SEV_ERROR));
    s_kv_u64 (&w, "warning", gl_doc_count (r->doc, GL_SEV_WARNING));
    s_kv_u64 (&w, "info", gl_doc_count (r->doc, GL_SEV_INFO));

    size_t n_diags;
    const gl_diag_t *d = gl_doc_diags (r->doc, &n_diags);
    s_key (&w, "diagnostics");
    w.rc |= msgpack_pack_array (&w.pk, n_diags);
    for (size_t i = 0; i < n_diags; i++) {
        w.rc |= msgpack_pack_map (&w.pk, gl_diag_fields (&d[i], NULL, NULL));
        gl_diag_fields (&d[i], &s_sink, &w);
    }
    if (meta) {
        s_key (&w, "meta");
        w.rc |= msgpack_pack_object (&w.pk, req->meta);
    }
    return s_end (&w);
}

int
gl_wire_encode_reject (msgpack_sbuffer *sb, const gl_wire_reject_t *r)
{
    gl_wpk_t w;
    if (!sb || !r || !r->err)
        return -1;
    const gl_wire_req_t *req = r->req;
    const gl_wire_error_t *err = r->err;
    const char *code = err->code ? err->code : s_gid004;
    const char *rule = "bad-message";
    if (strcmp (code, s_gid004) != 0) {
        const gl_rule_t *found = gl_rule_find (code);
        if (found)
            rule = found->name;
    }
    bool id = req && req->id, source = req && req->source;
    size_t n = 9 + id + source;

    s_begin (&w, sb);
    s_map16 (&w, n);
    s_seq (&w);
    s_head (&w, "reject");
    s_kv_u64 (&w, "epoch", r->epoch);
    s_kv_str (&w, "daemon", r->daemon);
    s_kv_f64 (&w, "received", r->received);
    if (id)
        s_kv_strn (&w, "id", req->id, req->id_len);
    if (source)
        s_kv_strn (&w, "source", req->source, req->source_len);
    s_key (&w, "diagnostic");
    w.rc |= msgpack_pack_map (&w.pk, 6);
    s_kv_str (&w, "code", code);
    s_kv_str (&w, "name", rule);
    s_kv_str (&w, "severity", gl_severity_name (GL_SEV_ERROR));
    s_kv_str (&w, "message",
              r->lang == GL_LANG_EN ? err->why_en : err->why_zh);
    s_kv_u64 (&w, "line", 1);
    s_kv_u64 (&w, "column", 1);
    s_kv_str (&w, "reason_zh", err->why_zh);
    s_kv_str (&w, "reason_en", err->why_en);
    return s_end (&w);
}

int
gl_wire_encode_stats (msgpack_sbuffer *sb, const gl_wire_stats_t *s)
{
    gl_wpk_t w;
    if (!sb || !s)
        return -1;
    size_t n_codes = s->n_codes < GL_WIRE_MAX_CODES ? s->n_codes
                                                    : GL_WIRE_MAX_CODES;
    size_t n_named = 0;
    for (size_t i = 0; i < n_codes; i++)
        n_named += s->codes[i] != NULL;

    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 19);
    s_head (&w, "stats");
    s_kv_u64 (&w, "epoch", s->epoch);
    s_kv_str (&w, "daemon", s->daemon);
    s_kv_f64 (&w, "now", s->now);
    s_kv_f64 (&w, "uptime", s->uptime);
    s_kv_u64 (&w, "received", s->received);
    s_kv_u64 (&w, "linted", s->linted);
    s_kv_u64 (&w, "rejected", s->rejected);
    s_kv_u64 (&w, "published", s->published);
    s_kv_u64 (&w, "seq", s->seq);
    s_kv_u64 (&w, "in_flight", s->in_flight);
    s_kv_u64 (&w, "workers", s->workers);
    s_kv_u64 (&w, "resent", s->resent);
    s_kv_u64 (&w, "refused", s->refused);
    s_kv_u64 (&w, "replays", s->replays);
    s_key (&w, "ring");
    w.rc |= msgpack_pack_map (&w.pk, 3);
    s_kv_u64 (&w, "first", s->ring_first);
    s_kv_u64 (&w, "last", s->ring_last);
    s_kv_u64 (&w, "bytes", s->ring_bytes);
    s_key (&w, "latency");
    w.rc |= msgpack_pack_map (&w.pk, 3);
    s_kv_f64 (&w, "p50_ms", s->latency_p50_ms);
    s_kv_f64 (&w, "p99_ms", s->latency_p99_ms);
    s_kv_f64 (&w, "max_ms", s->latency_max_ms);
    s_key (&w, "codes");
    w.rc |= msgpack_pack_map (&w.pk, n_named);
    for (size_t i = 0; i < n_codes; i++)
        if (s->codes[i])
            s_kv_u64 (&w, s->codes[i], s->code_counts[i]);
    return s_end (&w);
}

int
gl_wire_encode_health (msgpack_sbuffer *sb, uint64_t epoch,
                       const char *daemon, bool accepting)
{
    gl_wpk_t w;
    if (!sb)
        return -1;
    s_begin (&w, sb);
    w.rc |= msgpack_pack_map (&w.pk, 5);
    s_head (&w, "health");
    s_kv_u64 (&w, "epoch", epoch);
    s_kv_str (&w, "daemon", daemon);
    s_key (&w, "accepting");
    w.rc |= accepting ? msgpack_pack_true (&w.pk)
                      : msgpack_pack_false (&w.pk);
    return s_end (&w);
}
