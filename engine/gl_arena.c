/*  gl_arena.c: the per-document bump allocator.
 *
 *  A document's memory is a list of chunks; allocation bumps a pointer in
 *  the newest chunk, and gl_arena_fini() frees every chunk at once.  Large
 *  requests get a chunk of their own so the bump chunk is not wasted.
 */
#include "gl_internal.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gl_chunk {
    gl_chunk_t *next;
    size_t size;
    alignas (max_align_t) char data[];
};

#define GL_CHUNK_SIZE ((size_t) 64 * 1024)
#define GL_ALIGN (alignof (max_align_t))

void
gl_arena_init (gl_arena_t *a)
{
    memset (a, 0, sizeof *a);
}

void
gl_arena_fini (gl_arena_t *a)
{
    gl_chunk_t *c = a->head;
    while (c) {
        gl_chunk_t *next = c->next;
        free (c);
        c = next;
    }
    memset (a, 0, sizeof *a);
}

static gl_chunk_t *
s_chunk_new (gl_arena_t *a, size_t size)
{
    if (size > SIZE_MAX - sizeof (gl_chunk_t)) {
        a->failed = true;
        return NULL;
    }
    gl_chunk_t *c = malloc (sizeof (gl_chunk_t) + size);
    if (!c) {
        a->failed = true;
        return NULL;
    }
    c->size = size;
    return c;
}

void *
gl_arena_alloc (gl_arena_t *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - GL_ALIGN) {
        a->failed = true;
        return NULL;
    }
    size = (size + GL_ALIGN - 1) & ~(GL_ALIGN - 1);
    if (size <= a->left) {
        void *p = a->ptr;
        a->ptr += size;
        a->left -= size;
        return p;
    }
    if (size > GL_CHUNK_SIZE / 4) {
        /* A large block: its own chunk, linked behind the current one so
         * the current chunk's free space stays usable. */
        gl_chunk_t *c = s_chunk_new (a, size);
        if (!c)
            return NULL;
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        }
        else {
            c->next = NULL;
            a->head = c;
        }
        return c->data;
    }
    gl_chunk_t *c = s_chunk_new (a, GL_CHUNK_SIZE);
    if (!c)
        return NULL;
    c->next = a->head;
    a->head = c;
    a->ptr = c->data + size;
    a->left = GL_CHUNK_SIZE - size;
    return c->data;
}

void *
gl_arena_calloc (gl_arena_t *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        a->failed = true;
        return NULL;
    }
    void *p = gl_arena_alloc (a, n * size);
    if (p)
        memset (p, 0, n * size);
    return p;
}

char *
gl_arena_strndup (gl_arena_t *a, const char *s, size_t n)
{
    char *p = gl_arena_alloc (a, n + 1);
    if (p) {
        memcpy (p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *
gl_arena_vprintf (gl_arena_t *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy (ap2, ap);
    int n = vsnprintf (NULL, 0, fmt, ap2);
    va_end (ap2);
    if (n < 0) {
        a->failed = true;
        return NULL;
    }
    char *p = gl_arena_alloc (a, (size_t) n + 1);
    if (p)
        vsnprintf (p, (size_t) n + 1, fmt, ap);
    return p;
}

char *
gl_arena_printf (gl_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    char *p = gl_arena_vprintf (a, fmt, ap);
    va_end (ap);
    return p;
}

void *
gl__vec_push (gl_arena_t *a, void **v, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        if (ncap > SIZE_MAX / elem / 2) {
            a->failed = true;
            return NULL;
        }
        void *nv = gl_arena_alloc (a, ncap * elem);
        if (!nv)
            return NULL;
        if (*n)
            memcpy (nv, *v, *n * elem);
        *v = nv;
        *cap = ncap;
    }
    char *slot = (char *) *v + *n * elem;
    memset (slot, 0, elem);
    (*n)++;
    return slot;
}
