/*  gl_engine.c: engine configuration, the lint pipeline and the emitter.
 *
 *  Pipeline: size check -> decode and normalise (gl_text.c) -> parse
 *  (gl_parse.c, gl_table.c) -> every enabled rule -> sort and resolve
 *  positions.  Input rules (GID0xx) always run; the others only on a
 *  document that could be read as a report.
 */
#include "gl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct gl_engine {
    gl_row_keys_t *row_keys;    /* computed once, read by every lint         */
    size_t max_bytes;
    size_t n_rules;
    gl_severity_t severity[];   /* per rule, in registry order              */
};

#define GL_SEEN 256

struct gl_emit {
    gl_doc_t *doc;
    gl_lang_t lang;
    gl_severity_t severity;     /* of the rule being run                    */
    int rule;                   /* its index in the registry (code order)   */
    GL_VEC (gl_diag_t) diags;
    GL_VEC (int) rule_of;       /* the rule index of each diagnostic        */
    const char *seen[GL_SEEN];  /* recent messages by hash (s_message)      */
};

static const char *const s_err_text[] = {
#define GL_ERR_TEXT(name, text) text,
    GL_ERR_MAP (GL_ERR_TEXT)
#undef GL_ERR_TEXT
};
static const char *const s_err_name[] = {
#define GL_ERR_NAME(name, text) #name,
    GL_ERR_MAP (GL_ERR_NAME)
#undef GL_ERR_NAME
};

const char *
gl_strerror (gl_err_t err)
{
    size_t n = sizeof s_err_text / sizeof s_err_text[0];
    return (size_t) err < n ? s_err_text[err] : "unknown error";
}

const char *
gl_err_name (gl_err_t err)
{
    size_t n = sizeof s_err_name / sizeof s_err_name[0];
    return (size_t) err < n ? s_err_name[err] : "EUNKNOWN";
}

static const char *const s_sev_names[] = { "off", "info", "warning", "error" };

const char *
gl_severity_name (gl_severity_t sev)
{
    return (unsigned) sev <= GL_SEV_ERROR ? s_sev_names[sev] : "unknown";
}

int
gl_severity_parse (const char *name)
{
    for (int i = 0; i <= GL_SEV_ERROR; i++)
        if (name && strcasecmp (name, s_sev_names[i]) == 0)
            return i;
    return -1;
}

gl_engine_t *
gl_engine_new (void)
{
    size_t n = gl_rules_count ();
    gl_engine_t *e = malloc (sizeof *e + n * sizeof e->severity[0]);
    if (!e)
        return NULL;
    e->row_keys = malloc (sizeof *e->row_keys);
    if (!e->row_keys) {
        free (e);
        return NULL;
    }
    gl_row_keys_init (e->row_keys);
    e->max_bytes = GL_DEFAULT_MAX_BYTES;
    e->n_rules = n;
    for (size_t i = 0; i < n; i++)
        e->severity[i] = gl_rule_at (i)->severity;
    return e;
}

gl_engine_t *
gl_engine_dup (const gl_engine_t *engine)
{
    size_t size = sizeof *engine + engine->n_rules * sizeof engine->severity[0];
    gl_engine_t *e = malloc (size);
    if (!e)
        return NULL;
    memcpy (e, engine, size);
    e->row_keys = malloc (sizeof *e->row_keys);
    if (!e->row_keys) {
        free (e);
        return NULL;
    }
    memcpy (e->row_keys, engine->row_keys, sizeof *e->row_keys);
    return e;
}

void
gl_engine_destroy (gl_engine_t **engine_p)
{
    if (engine_p && *engine_p) {
        free ((*engine_p)->row_keys);
        free (*engine_p);
        *engine_p = NULL;
    }
}

static int
s_rule_index (const gl_rule_t *rule)
{
    for (size_t i = 0; i < gl_rules_count (); i++)
        if (gl_rule_at (i) == rule)
            return (int) i;
    return -1;
}

gl_err_t
gl_engine_set_severity (gl_engine_t *engine, const char *code_or_name,
                        gl_severity_t sev)
{
    if (!engine || (unsigned) sev > GL_SEV_ERROR)
        return GL_EINVAL;
    int i = s_rule_index (gl_rule_find (code_or_name));
    if (i < 0)
        return GL_ENOENT;
    engine->severity[i] = sev;
    return GL_OK;
}

gl_err_t
gl_engine_disable (gl_engine_t *engine, const char *code_or_name)
{
    return gl_engine_set_severity (engine, code_or_name, GL_SEV_OFF);
}

gl_severity_t
gl_engine_severity (const gl_engine_t *engine, const gl_rule_t *rule)
{
    int i = s_rule_index (rule);
    return i < 0 ? GL_SEV_OFF : engine->severity[i];
}

void
gl_engine_set_max_bytes (gl_engine_t *engine, size_t max_bytes)
{
    engine->max_bytes = max_bytes;
}

/*  ---------------------------------------------------------------------
 *  Emitter.                                                               */

gl_lang_t
gl_emit_lang (const gl_emit_t *out)
{
    return out->lang;
}

gl_arena_t *
gl_emit_arena (gl_emit_t *out)
{
    return &out->doc->arena;
}

static const char *
s_row_label (const gl_doc_t *doc, gl_row_id_t id, gl_lang_t lang)
{
    const gl_row_info_t *info = gl_row_info (id);
    if (!info)
        return NULL;
    if (lang == GL_LANG_EN)
        return info->short_en;
    if (doc->edition == GL_EDITION_2019 && info->label_2019)
        return info->label_2019;
    return info->label;
}

/*  Formats a message into the document's arena.  A message identical to
 *  one of the last few with the same hash shares its storage: a document
 *  with a defect on every one of a million rows keeps each wording once. */
static const char *
s_message (gl_emit_t *out, const char *fmt, va_list ap)
{
    char buf[512];
    va_list ap2;
    va_copy (ap2, ap);
    int n = vsnprintf (buf, sizeof buf, fmt, ap2);
    va_end (ap2);
    if (n < 0 || (size_t) n >= sizeof buf)
        return gl_arena_vprintf (&out->doc->arena, fmt, ap);
    /* The hash reads the length and four words (ends included, where the
     * arguments usually are); strcmp settles it. */
    uint64_t h = (uint64_t) n * UINT64_C (0x9E3779B97F4A7C15);
    if (n >= 16) {
        size_t at[4] = { 0, 8, (size_t) n - 16, (size_t) n - 8 };
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy (&w, buf + at[k], 8);
            h = (h ^ w) * UINT64_C (0xFF51AFD7ED558CCD);
            h ^= h >> 32;
        }
    }
    else
        for (int i = 0; i < n; i++)
            h = (h ^ (unsigned char) buf[i]) * UINT64_C (0x100000001B3);
    const char **slot = &out->seen[h % GL_SEEN];
    if (*slot && strcmp (*slot, buf) == 0)
        return *slot;
    char *m = gl_arena_strndup (&out->doc->arena, buf, (size_t) n);
    if (m)
        *slot = m;
    return m;
}

void
gl_emit (gl_emit_t *out, const gl_rule_t *rule, const gl_where_t *where,
         const char *fmt_zh, const char *fmt_en, ...)
{
    gl_doc_t *doc = out->doc;
    int *r = GL_VEC_PUSH (&doc->arena, &out->rule_of);
    gl_diag_t *d = r ? GL_VEC_PUSH (&doc->arena, &out->diags) : NULL;
    if (!d) {
        if (r)
            out->rule_of.n--;
        return;
    }
    *r = out->rule;
    va_list ap;
    va_start (ap, fmt_en);
    d->message = s_message (out, out->lang == GL_LANG_EN ? fmt_en : fmt_zh, ap);
    va_end (ap);
    if (!d->message)
        d->message = "";
    d->rule = rule;
    d->code = rule->code;
    d->severity = out->severity;
    d->span = where->span;
    bool decoded = doc->status != GL_DOC_TOO_LARGE
                   && doc->status != GL_DOC_BAD_ENCODING;
    if (decoded && d->span.end > doc->text.len)
        d->span.end = (uint32_t) doc->text.len;
    if (d->span.start > d->span.end)
        d->span.start = d->span.end;
    d->section = decoded ? gl_doc_section_at (doc, d->span.start)
                         : GL_SEC_NONE;
    d->table = where->table;
    d->row = s_row_label (doc, where->row, out->lang);
    d->column = where->column < 0
                    ? NULL
                    : gl_column_label (where->row, doc->edition,
                                       (size_t) where->column, out->lang);
    d->expected = where->expected;
    d->actual = where->actual;
}

/*  Diagnostics are sorted by position, then code, then end.  Codes are
 *  registered in code order, so the rule's index stands for its code; the
 *  sort moves 16-byte keys, not the diagnostics, and the emission order
 *  breaks the remaining ties (a stable sort).                             */
typedef struct {
    uint64_t start_rule;        /* span.start << 32 | rule index             */
    uint32_t end;
    uint32_t at;                /* index in emission order                   */
} gl_sortkey_t;

static int
s_key_cmp (const void *pa, const void *pb)
{
    const gl_sortkey_t *a = pa, *b = pb;
    if (a->start_rule != b->start_rule)
        return a->start_rule < b->start_rule ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

/*  Sorts diags[0, n) (rules.def lists the rules in code order).  False
 *  when out of memory.                                                    */
static bool
s_sort_diags (gl_diag_t *diags, size_t n, const int *rule_of)
{
    gl_arena_t tmp;             /* the keys and a copy, freed on return */
    gl_arena_init (&tmp);
    gl_sortkey_t *k = gl_arena_alloc (&tmp, n * sizeof *k);
    bool sorted = true, ok = k != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        k[i].start_rule = (uint64_t) diags[i].span.start << 32
                          | (uint32_t) rule_of[i];
        k[i].end = diags[i].span.end;
        k[i].at = (uint32_t) i;
        if (i && s_key_cmp (&k[i - 1], &k[i]) > 0)
            sorted = false;
    }
    if (ok && !sorted) {
        qsort (k, n, sizeof *k, s_key_cmp);
        gl_diag_t *copy = gl_arena_alloc (&tmp, n * sizeof *copy);
        ok = copy != NULL;
        if (ok) {
            for (size_t i = 0; i < n; i++)
                copy[i] = diags[k[i].at];
            memcpy (diags, copy, n * sizeof *copy);
        }
    }
    gl_arena_fini (&tmp);
    return ok;
}

/*  gl_doc_pos() for diagnostics in order: the text's lookups resume where
 *  the last one ended.                                                    */
static void
s_pos (const gl_doc_t *doc, gl_span_t span, gl_pos_t *pos,
       gl_pos_hint_t *hint)
{
    if (!doc->text.s || doc->text.enc == GL_ENC_INVALID)
        gl_doc_pos (doc, span, pos);
    else
        gl_text_pos_hinted (&doc->text, span, pos, hint);
}

static bool
s_blank (const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return false;
    return true;
}

gl_err_t
gl_engine_lint (const gl_engine_t *engine, const void *bytes, size_t len,
                gl_lang_t lang, gl_doc_t **doc_p)
{
    if (!engine || (!bytes && len) || !doc_p)
        return GL_EINVAL;
    *doc_p = NULL;
    gl_doc_t *doc = calloc (1, sizeof *doc);
    if (!doc)
        return GL_ENOMEM;
    gl_arena_init (&doc->arena);
    doc->input_size = len;
    doc->row_keys = engine->row_keys;
    doc->size_limit = engine->max_bytes;

    if (len > engine->max_bytes)
        doc->status = GL_DOC_TOO_LARGE;
    else {
        if (gl_text_decode (&doc->arena, bytes ? bytes : "", len, &doc->text)
            != GL_OK)
            goto nomem;
        if (doc->text.enc == GL_ENC_INVALID)
            doc->status = GL_DOC_BAD_ENCODING;
        else if (s_blank (doc->text.s, doc->text.len))
            doc->status = GL_DOC_EMPTY;
        else if (gl_parse (doc) != GL_OK)
            goto nomem;
    }

    gl_emit_t out = { .doc = doc, .lang = lang };
    for (size_t i = 0; i < gl_rules_count (); i++) {
        const gl_rule_t *rule = gl_rule_at (i);
        bool input_rule = strncmp (rule->code, "GID0", 4) == 0;
        if (engine->severity[i] == GL_SEV_OFF
            || (!input_rule && doc->status != GL_DOC_OK))
            continue;
        out.severity = engine->severity[i];
        out.rule = (int) i;
        rule->check (doc, &out);
    }
    if (doc->arena.failed)
        goto nomem;
    if (out.diags.n
        && !s_sort_diags (out.diags.v, out.diags.n, out.rule_of.v))
        goto nomem;
    if (out.diags.cap > out.diags.n && out.diags.n) {
        /* Give back the unused half of a large array. */
        gl_diag_t *v = gl_arena_grow (&doc->arena, out.diags.v,
                                      out.diags.cap * sizeof *v,
                                      out.diags.n * sizeof *v);
        if (!v)
            goto nomem;
        out.diags.v = v;
        out.diags.cap = out.diags.n;
    }
    gl_pos_hint_t hint = { 0, 0 };
    for (size_t i = 0; i < out.diags.n; i++)
        s_pos (doc, out.diags.v[i].span, &out.diags.v[i].pos, &hint);
    doc->row_keys = NULL;       /* the engine may go before the document */
    doc->diags = out.diags.v;
    doc->n_diags = out.diags.n;
    *doc_p = doc;
    return GL_OK;

nomem:
    gl_doc_destroy (&doc);
    return GL_ENOMEM;
}
