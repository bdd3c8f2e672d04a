/*  gl_fuzz.h: what the fuzz targets share.
 *
 *  Each target defines LLVMFuzzerTestOneInput(); libFuzzer or
 *  replay_main.c calls it.  Invariant failures abort(): assert() would
 *  vanish under NDEBUG, and libFuzzer reports an abort as a crash.
 */
#ifndef GL_FUZZ_H_INCLUDED
#define GL_FUZZ_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define S_CHECK(cond)                                                      \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__,    \
                     __LINE__, #cond);                                     \
            abort ();                                                      \
        }                                                                  \
    } while (0)

#endif
