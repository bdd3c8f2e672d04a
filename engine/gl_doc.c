/*  gl_doc.c: read-only accessors of the document model and its invariants. */
#include "gl_internal.h"

#include <stdlib.h>

gl_doc_status_t
gl_doc_status (const gl_doc_t *doc)
{
    return doc->status;
}

gl_encoding_t
gl_doc_encoding (const gl_doc_t *doc)
{
    return doc->text.enc;
}

uint64_t
gl_doc_bad_byte (const gl_doc_t *doc)
{
    return doc->text.bad_byte;
}

uint64_t
gl_doc_input_size (const gl_doc_t *doc)
{
    return doc->input_size;
}

uint64_t
gl_doc_size_limit (const gl_doc_t *doc)
{
    return doc->size_limit;
}

const char *
gl_doc_text (const gl_doc_t *doc, size_t *len)
{
    if (len)
        *len = doc->text.len;
    return doc->text.s ? doc->text.s : "";
}

void
gl_doc_pos (const gl_doc_t *doc, gl_span_t span, gl_pos_t *pos)
{
    if (!doc->text.s || doc->text.enc == GL_ENC_INVALID) {
        /* Nothing was decoded (too large, bad encoding): the span is in
         * input bytes and there are no lines to speak of. */
        *pos = (gl_pos_t) { 1, 1, 1, 1, span.start, span.end };
        return;
    }
    gl_text_pos (&doc->text, span, pos);
}

gl_section_id_t
gl_doc_section_at (const gl_doc_t *doc, uint32_t offset)
{
    gl_section_id_t best = GL_SEC_NONE;
    uint32_t best_start = 0;
    for (int s = GL_SEC_1; s < GL_SEC_COUNT; s++) {
        const gl_section_t *sec = &doc->sections[s];
        if (!sec->present)
            continue;
        if (offset >= sec->heading.start && offset < sec->body.end
            && sec->heading.start >= best_start) {
            best = (gl_section_id_t) s;
            best_start = sec->heading.start;
        }
    }
    return best;
}

const char *
gl_doc_title (const gl_doc_t *doc, gl_span_t *span)
{
    if (span)
        *span = doc->title_span;
    return doc->title;
}

const char *
gl_doc_body (const gl_doc_t *doc)
{
    return doc->body;
}

int
gl_doc_year (const gl_doc_t *doc)
{
    return doc->year;
}

int
gl_doc_title_year (const gl_doc_t *doc)
{
    return doc->title_year;
}

gl_edition_t
gl_doc_edition (const gl_doc_t *doc)
{
    return doc->edition;
}

unsigned
gl_doc_edition_votes (const gl_doc_t *doc, gl_edition_t edition)
{
    return edition == GL_EDITION_2019   ? doc->votes_2019
           : edition == GL_EDITION_2021 ? doc->votes_2021
                                        : 0;
}

const gl_section_t *
gl_doc_section (const gl_doc_t *doc, gl_section_id_t id)
{
    if (id <= GL_SEC_NONE || id >= GL_SEC_COUNT)
        return NULL;
    return &doc->sections[id];
}

size_t
gl_doc_section_order (const gl_doc_t *doc, gl_section_id_t order[GL_SEC_COUNT])
{
    for (size_t i = 0; i < doc->n_order; i++)
        order[i] = doc->order[i];
    return doc->n_order;
}

const gl_table_t *
gl_doc_table (const gl_doc_t *doc, gl_section_id_t section)
{
    if (section < GL_SEC_2 || section > GL_SEC_4)
        return NULL;
    int k = section - GL_SEC_2;
    return doc->has_table[k] ? &doc->tables[k] : NULL;
}

const gl_row_t *
gl_doc_row (const gl_doc_t *doc, gl_row_id_t id)
{
    if (id < 0 || id >= GL_ROW_COUNT)
        return NULL;
    return doc->row_index[id];
}

const gl_para_t *
gl_doc_paras (const gl_doc_t *doc, size_t *n)
{
    *n = doc->n_paras;
    return doc->paras;
}

const gl_diag_t *
gl_doc_diags (const gl_doc_t *doc, size_t *n)
{
    *n = doc->n_diags;
    return doc->diags;
}

size_t
gl_doc_count (const gl_doc_t *doc, gl_severity_t sev)
{
    size_t k = 0;
    for (size_t i = 0; i < doc->n_diags; i++)
        if (doc->diags[i].severity == sev)
            k++;
    return k;
}

/*  Field visiting for serialisers: one place that knows which fields apply. */
typedef struct {
    const gl_field_sink_t *sink;
    void *ctx;
    size_t n;
} gl_visit_t;

static void
s_str (gl_visit_t *v, const char *key, const char *value)
{
    if (!value)
        return;
    v->n++;
    if (v->sink)
        v->sink->str (v->ctx, key, value);
}

static void
s_num (gl_visit_t *v, const char *key, int64_t value)
{
    v->n++;
    if (v->sink)
        v->sink->num (v->ctx, key, value);
}

static void
s_value (gl_visit_t *v, const char *key, const gl_value_t *value)
{
    switch (value->kind) {
    case GL_VAL_INT:
        s_num (v, key, value->i);
        break;
    case GL_VAL_NUM:
        v->n++;
        if (v->sink)
            v->sink->real (v->ctx, key, value->d);
        break;
    case GL_VAL_STR:
        s_str (v, key, value->s);
        break;
    case GL_VAL_NONE:
        break;
    }
}

size_t
gl_diag_fields (const gl_diag_t *d, const gl_field_sink_t *sink, void *ctx)
{
    gl_visit_t v = { sink, ctx, 0 };
    s_str (&v, "code", d->code);
    s_str (&v, "name", d->rule ? d->rule->name : NULL);
    s_str (&v, "severity", gl_severity_name (d->severity));
    s_str (&v, "message", d->message);
    s_num (&v, "line", d->pos.line);
    s_num (&v, "column", d->pos.column);
    s_num (&v, "end_line", d->pos.end_line);
    s_num (&v, "end_column", d->pos.end_column);
    s_num (&v, "byte_start", (int64_t) d->pos.byte_start);
    s_num (&v, "byte_end", (int64_t) d->pos.byte_end);
    s_str (&v, "section", gl_section_numeral (d->section));
    s_str (&v, "table", gl_section_numeral (d->table));
    s_str (&v, "row", d->row);
    s_str (&v, "column_label", d->column);
    s_value (&v, "expected", &d->expected);
    s_value (&v, "actual", &d->actual);
    return v.n;
}

size_t
gl_doc_fields (const gl_doc_t *doc, const gl_field_sink_t *sink, void *ctx)
{
    gl_visit_t v = { sink, ctx, 0 };
    s_str (&v, "title", doc->title);
    s_str (&v, "body", doc->body);
    if (doc->year)
        s_num (&v, "year", doc->year);
    if (doc->edition)
        s_num (&v, "edition", doc->edition);
    return v.n;
}

static bool
s_span_ok (gl_span_t s, size_t len)
{
    return s.start <= s.end && s.end <= len;
}

static bool
s_inside (gl_span_t in, gl_span_t out)
{
    return in.start >= out.start && in.end <= out.end;
}

size_t
gl_doc_memory (const gl_doc_t *doc)
{
    return sizeof *doc + doc->arena.bytes;
}

bool
gl_doc_check (const gl_doc_t *doc)
{
    size_t len = doc->text.len;
    uint32_t last_end = 0;
    for (size_t i = 0; i < doc->n_order; i++) {
        const gl_section_t *sec = &doc->sections[doc->order[i]];
        if (!sec->present || !s_span_ok (sec->heading, len)
            || !s_span_ok (sec->body, len) || sec->heading.start < last_end)
            return false;
        last_end = sec->body.end;
    }
    for (int k = 0; k < 3; k++) {
        if (!doc->has_table[k])
            continue;
        const gl_table_t *t = &doc->tables[k];
        if (!s_span_ok (t->span, len))
            return false;
        for (size_t r = 0; r < t->n_rows; r++) {
            const gl_row_t *row = &t->rows[r];
            if (!s_inside (row->span, t->span) || !row->label)
                return false;
            for (size_t c = 0; c < row->n_cells; c++) {
                const gl_cell_t *cell = &row->cells[c];
                if (!s_inside (cell->span, row->span) || !cell->text)
                    return false;
            }
        }
    }
    for (size_t i = 0; i < doc->n_paras; i++)
        if (!s_span_ok (doc->paras[i].span, len))
            return false;
    for (size_t i = 0; i < doc->n_diags; i++) {
        if (doc->status != GL_DOC_BAD_ENCODING && doc->status != GL_DOC_TOO_LARGE
            && !s_span_ok (doc->diags[i].span, len))
            return false;
        if (i && doc->diags[i - 1].span.start > doc->diags[i].span.start)
            return false;
    }
    return true;
}

void
gl_doc_destroy (gl_doc_t **doc_p)
{
    if (!doc_p || !*doc_p)
        return;
    gl_doc_t *doc = *doc_p;
    gl_arena_fini (&doc->arena);
    free (doc);
    *doc_p = NULL;
}
