/* wasi-libc (Debian 12's) has no setjmp.h. A stub for programs that never take the longjmp path here (Lua raising no
   error in the benchmark script): longjmp aborts, so a program that does take it fails loudly. Native builds get the
   C library's own header. */
#ifndef __wasi__
#include_next <setjmp.h>
#else
#ifndef WEFT_BENCH_SETJMP_H
#define WEFT_BENCH_SETJMP_H
#include <stdlib.h>
typedef int jmp_buf[1];
#define setjmp(b) 0
#define _setjmp(b) 0
#define longjmp(b, v) abort()
#define _longjmp(b, v) abort()
#endif
#endif
