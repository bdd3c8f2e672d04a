/*  gl_json.c: a linted document as a JSON object (see gl_json.h).
 *
 *  Which fields a document and a diagnostic have is decided in one place,
 *  gl_doc_fields() and gl_diag_fields() of the engine; this file only writes
 *  them with jansson.  json_object_set_new() takes the value's reference even
 *  when it fails, and fails on a NULL value (out of memory, or a string that
 *  is not UTF-8), so a failure is remembered and drops the whole object
 *  rather than handing out a document with a field silently missing.
 *
 *  The other way, gl_cli_msgpack_json() turns any MessagePack object the
 *  daemon sends into JSON, generically; the client prints results it did
 *  not lint itself from that.
 */
#include "gl_json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    json_t *obj;
    int rc;
} gl_jctx_t;

static void
s_str (void *ctx, const char *key, const char *value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_string (value));
}

static void
s_num (void *ctx, const char *key, int64_t value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_integer ((json_int_t) value));
}

static void
s_real (void *ctx, const char *key, double value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_real (value));
}

static const gl_field_sink_t s_sink = { s_str, s_num, s_real };

json_t *
gl_cli_diag_json (const gl_diag_t *diag)
{
    gl_jctx_t j = { json_object (), 0 };
    if (!j.obj)
        return NULL;
    gl_diag_fields (diag, &s_sink, &j);
    if (j.rc != 0) {
        json_decref (j.obj);
        return NULL;
    }
    return j.obj;
}

json_t *
gl_cli_doc_json (const char *file, const gl_doc_t *doc)
{
    gl_jctx_t j = { json_object (), 0 };
    json_t *diags = json_array ();
    if (!j.obj || !diags) {
        json_decref (j.obj);
        json_decref (diags);
        return NULL;
    }
    if (file)
        s_str (&j, "file", file);
    gl_doc_fields (doc, &s_sink, &j);
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        j.rc |= json_array_append_new (diags, gl_cli_diag_json (&d[i]));
    /* Last, so that it comes last in the output; this consumes diags. */
    j.rc |= json_object_set_new (j.obj, "diagnostics", diags);
    if (j.rc != 0) {
        json_decref (j.obj);
        return NULL;
    }
    return j.obj;
}

/*  ---------------------------------------------------------------------
 *  MessagePack -> JSON.                                                  */

/*  Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid:
 *  no overlong forms, no surrogates, nothing above U+10FFFF.             */
static size_t
s_utf8_len (const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/*  A JSON string of s[0..n), each byte that is not part of valid UTF-8
 *  replaced by U+FFFD.                                                    */
static json_t *
s_string (const char *s, size_t n)
{
    json_t *str = json_stringn (s, n);
    if (str || n > SIZE_MAX / 3)
        return str;
    char *fixed = malloc (3 * n);
    if (!fixed)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t len = s_utf8_len ((const unsigned char *) s + i, n - i);
        if (len) {
            memcpy (fixed + m, s + i, len);
            m += len;
            i += len;
        }
        else {
            memcpy (fixed + m, "\xef\xbf\xbd", 3);
            m += 3;
            i++;
        }
    }
    str = json_stringn (fixed, m);
    free (fixed);
    return str;
}

static json_t *
s_base64 (const unsigned char *p, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n > (SIZE_MAX / 4) * 3 - 3)
        return NULL;
    char *out = malloc ((n + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long) p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long) p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[m++] = digits[(v >> 18) & 63];
        out[m++] = digits[(v >> 12) & 63];
        out[m++] = i + 1 < n ? digits[(v >> 6) & 63] : '=';
        out[m++] = i + 2 < n ? digits[v & 63] : '=';
    }
    json_t *str = json_stringn (out, m);
    free (out);
    return str;
}

/*  A map key as text into buf (NUL-terminated, str keys cut at a NUL);
 *  NULL for a key that has no text form (an array, map, bin or ext).      */
static const char *
s_key_text (const msgpack_object *k, char *buf, size_t size, char **heap)
{
    *heap = NULL;
    switch (k->type) {
    case MSGPACK_OBJECT_STR: {
        json_t *str = s_string (k->via.str.ptr, k->via.str.size);
        if (!str)
            return NULL;
        *heap = strdup (json_string_value (str));
        json_decref (str);
        return *heap;
    }
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        snprintf (buf, size, "%llu", (unsigned long long) k->via.u64);
        return buf;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        snprintf (buf, size, "%lld", (long long) k->via.i64);
        return buf;
    case MSGPACK_OBJECT_BOOLEAN:
        return k->via.boolean ? "true" : "false";
    case MSGPACK_OBJECT_NIL:
        return "null";
    default:
        return NULL;
    }
}

json_t *
gl_cli_msgpack_json (const msgpack_object *o)
{
    char buf[32];
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
    case MSGPACK_OBJECT_EXT:
        return json_null ();
    case MSGPACK_OBJECT_BOOLEAN:
        return json_boolean (o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (o->via.u64 <= (uint64_t) INT64_MAX)
            return json_integer ((json_int_t) o->via.u64);
        snprintf (buf, sizeof buf, "%llu", (unsigned long long) o->via.u64);
        return json_string (buf);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_integer ((json_int_t) o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return isfinite (o->via.f64) ? json_real (o->via.f64) : json_null ();
    case MSGPACK_OBJECT_STR:
        return s_string (o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
        return s_base64 ((const unsigned char *) o->via.bin.ptr,
                         o->via.bin.size);
    case MSGPACK_OBJECT_ARRAY: {
        json_t *arr = json_array ();
        for (uint32_t i = 0; arr && i < o->via.array.size; i++)
            if (json_array_append_new (arr, gl_cli_msgpack_json (
                                                &o->via.array.ptr[i])) != 0) {
                json_decref (arr);
                arr = NULL;
            }
        return arr;
    }
    case MSGPACK_OBJECT_MAP: {
        json_t *obj = json_object ();
        for (uint32_t i = 0; obj && i < o->via.map.size; i++) {
            const msgpack_object_kv *kv = &o->via.map.ptr[i];
            char *heap;
            const char *key = s_key_text (&kv->key, buf, sizeof buf, &heap);
            if (!key && kv->key.type != MSGPACK_OBJECT_STR)
                continue;       /* no text form: left out */
            if (!key || json_object_set_new (obj, key,
                                             gl_cli_msgpack_json (&kv->val))) {
                json_decref (obj);
                obj = NULL;
            }
            free (heap);
        }
        return obj;
    }
    }
    return json_null ();
}
