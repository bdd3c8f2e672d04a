/*  gl_arena.c: the per-document bump allocator.
 *
 *  A document's memory is a list of chunks; allocation bumps a pointer in
 *  the newest chunk, and gl_arena_fini() frees every chunk at once.  Large
 *  requests (over a quarter of a chunk) always get a chunk of their own, so
 *  the bump chunk is not wasted and a growing array can be resized in place
 *  with realloc (gl_arena_grow): doubling a big array then leaves no dead
 *  copies behind, and the memory of a document stays a small multiple of
 *  its input.  Strings are packed without alignment padding.
 */
#include "gl_internal.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gl_chunk {
    gl_chunk_t *next, *prev;
    size_t size;
    alignas (max_align_t) char data[];
};

#define GL_CHUNK_SIZE ((size_t) 64 * 1024)
#define GL_LARGE (GL_CHUNK_SIZE / 4)
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
    a->bytes += sizeof (gl_chunk_t) + size;
    return c;
}

/*  Links c behind the head, so the head's free space stays usable.        */
static void
s_link_behind (gl_arena_t *a, gl_chunk_t *c)
{
    c->prev = a->head;
    if (a->head) {
        c->next = a->head->next;
        if (c->next)
            c->next->prev = c;
        a->head->next = c;
    }
    else {
        c->next = NULL;
        a->head = c;
    }
}

/*  size bytes aligned to align (a power of two, at most GL_ALIGN).        */
static void *
s_alloc (gl_arena_t *a, size_t size, size_t align)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - GL_ALIGN) {
        a->failed = true;
        return NULL;
    }
    if (size > GL_LARGE) {
        gl_chunk_t *c = s_chunk_new (a, size);
        if (!c)
            return NULL;
        s_link_behind (a, c);
        return c->data;
    }
    size_t pad = (size_t) (-(uintptr_t) a->ptr) & (align - 1);
    if (a->ptr && pad + size <= a->left) {
        void *p = a->ptr + pad;
        a->ptr += pad + size;
        a->left -= pad + size;
        return p;
    }
    gl_chunk_t *c = s_chunk_new (a, GL_CHUNK_SIZE);
    if (!c)
        return NULL;
    c->prev = NULL;
    c->next = a->head;
    if (a->head)
        a->head->prev = c;
    a->head = c;
    a->ptr = c->data + size;
    a->left = GL_CHUNK_SIZE - size;
    return c->data;
}

void *
gl_arena_alloc (gl_arena_t *a, size_t size)
{
    return s_alloc (a, size, GL_ALIGN);
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

void *
gl_arena_grow (gl_arena_t *a, void *p, size_t old_size, size_t new_size)
{
    if (p && new_size <= old_size
        && (old_size <= GL_LARGE || new_size <= GL_LARGE))
        return p;               /* nothing to give back in place */
    if (!p || old_size <= GL_LARGE || new_size <= GL_LARGE) {
        void *np = gl_arena_alloc (a, new_size);
        if (np && p)
            memcpy (np, p, old_size < new_size ? old_size : new_size);
        return np;
    }
    /* p is the data of a chunk of its own: resize that chunk. */
    if (new_size > SIZE_MAX - sizeof (gl_chunk_t)) {
        a->failed = true;
        return NULL;
    }
    gl_chunk_t *c = (gl_chunk_t *) (void *) ((char *) p
                                             - offsetof (gl_chunk_t, data));
    gl_chunk_t *nc = realloc (c, sizeof (gl_chunk_t) + new_size);
    if (!nc) {
        a->failed = true;
        return NULL;
    }
    a->bytes = a->bytes - nc->size + new_size;
    nc->size = new_size;
    if (nc->prev)
        nc->prev->next = nc;
    else
        a->head = nc;
    if (nc->next)
        nc->next->prev = nc;
    return nc->data;
}

char *
gl_arena_strndup (gl_arena_t *a, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? s_alloc (a, n + 1, 1) : NULL;
    if (p) {
        memcpy (p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *
gl_arena_vprintf (gl_arena_t *a, const char *fmt, va_list ap)
{
    /* Most messages fit a small buffer: format once, then copy. */
    char buf[512];
    va_list ap2;
    va_copy (ap2, ap);
    int n = vsnprintf (buf, sizeof buf, fmt, ap2);
    va_end (ap2);
    if (n < 0) {
        a->failed = true;
        return NULL;
    }
    if ((size_t) n < sizeof buf)
        return gl_arena_strndup (a, buf, (size_t) n);
    char *p = s_alloc (a, (size_t) n + 1, 1);
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
        void *nv = gl_arena_grow (a, *v, *cap * elem, ncap * elem);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = ncap;
    }
    char *slot = (char *) *v + *n * elem;
    memset (slot, 0, elem);
    (*n)++;
    return slot;
}
