/* A tiny language: a tokenizer, a recursive-descent compiler to stack bytecode, and a bytecode interpreter, running
   a few programs (recursion, loops, arithmetic). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rounds.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ, JMP, JZ, CALL, RET, PRINT, HALT, POP, ARG };
typedef struct { int op, arg; } ins;

static ins code[4096];
static int ncode;
static const char *src;
static char token[64];
static int token_is_number;
static long token_value;

static struct { char name[32]; int address, params; } functions[32];
static int nfunctions;
static char locals[16][32];
static int nlocals;

static void next(void) {
    while (isspace((unsigned char)*src) || *src == '#') { if (*src == '#') while (*src && *src != '\n') src++; else src++; }
    token_is_number = 0;
    if (!*src) { token[0] = 0; return; }
    if (isdigit((unsigned char)*src)) { token_value = strtol(src, (char **)&src, 10); token_is_number = 1; strcpy(token, "0"); return; }
    if (isalpha((unsigned char)*src)) { int n = 0; while (isalnum((unsigned char)*src) || *src == '_') token[n++] = *src++; token[n] = 0; return; }
    if ((src[0] == '=' && src[1] == '=') || (src[0] == '<' && src[1] == '=')) { token[0] = src[0]; token[1] = src[1]; token[2] = 0; src += 2; return; }
    token[0] = *src++; token[1] = 0;
}
static int accept(const char *t) { if (!strcmp(token, t)) { next(); return 1; } return 0; }
static void expect(const char *t) { if (!accept(t)) { printf("syntax error: expected %s, got %s\n", t, token); exit(1); } }
static void emit(int op, int arg) { code[ncode].op = op; code[ncode].arg = arg; ncode++; }
static int local(const char *name) {
    for (int i = 0; i < nlocals; i++) if (!strcmp(locals[i], name)) return i;
    strcpy(locals[nlocals], name);
    return nlocals++;
}
static int function(const char *name) { for (int i = 0; i < nfunctions; i++) if (!strcmp(functions[i].name, name)) return i; return -1; }

static void expression(void);
static void primary(void) {
    if (token_is_number) { emit(PUSH, (int)token_value); next(); return; }
    if (accept("(")) { expression(); expect(")"); return; }
    char name[32]; strcpy(name, token); next();
    if (accept("(")) {
        int f = function(name), args = 0;
        if (!accept(")")) { do { expression(); args++; } while (accept(",")); expect(")"); }
        emit(CALL, f * 256 + args);
        return;
    }
    emit(LOAD, local(name));
}
static void term(void) { primary(); for (;;) { int op = accept("*") ? MUL : accept("/") ? DIV : accept("%") ? MOD : -1; if (op < 0) return; primary(); emit(op, 0); } }
static void sum(void) { term(); for (;;) { int op = accept("+") ? ADD : accept("-") ? SUB : -1; if (op < 0) return; term(); emit(op, 0); } }
static void expression(void) { sum(); if (accept("<")) { sum(); emit(LT, 0); } else if (accept("==")) { sum(); emit(EQ, 0); } }

static void statement(void) {
    if (accept("if")) {
        expression(); int jz = ncode; emit(JZ, 0); expect("{");
        while (!accept("}")) statement();
        if (accept("else")) { int jmp = ncode; emit(JMP, 0); code[jz].arg = ncode; expect("{"); while (!accept("}")) statement(); code[jmp].arg = ncode; }
        else code[jz].arg = ncode;
    } else if (accept("while")) {
        int top = ncode; expression(); int jz = ncode; emit(JZ, 0); expect("{");
        while (!accept("}")) statement();
        emit(JMP, top); code[jz].arg = ncode;
    } else if (accept("return")) { expression(); emit(RET, 0); expect(";"); }
    else if (accept("print")) { expression(); emit(PRINT, 0); expect(";"); }
    else { char name[32]; strcpy(name, token); next(); if (accept("=")) { expression(); emit(STORE, local(name)); } else { src -= 0; } expect(";"); }
}

static void program(void) {
    next();
    int jump = ncode; emit(JMP, 0);
    while (accept("fn")) {
        strcpy(functions[nfunctions].name, token); next();
        functions[nfunctions].address = ncode;
        nlocals = 0; expect("(");
        if (!accept(")")) { do { local(token); next(); } while (accept(",")); expect(")"); }
        functions[nfunctions].params = nlocals;
        for (int i = nlocals - 1; i >= 0; i--) emit(ARG, i);
        nfunctions++;
        expect("{"); while (!accept("}")) statement();
        emit(PUSH, 0); emit(RET, 0);
    }
    code[jump].arg = ncode;
    nlocals = 0;
    while (token[0]) statement();
    emit(HALT, 0);
}

static long run(void) {
    static long long stack[65536], frames[4096][17];
    int sp = 0, fp = 0, pc = code[0].arg == 0 ? 0 : 0;
    long steps = 0;
    long long *vars = frames[0];
    static int returns[4096];
    for (;;) {
        ins i = code[pc++];
        steps++;
        switch (i.op) {
            case PUSH: stack[sp++] = i.arg; break;
            case LOAD: stack[sp++] = vars[i.arg]; break;
            case STORE: vars[i.arg] = stack[--sp]; break;
            case ARG: vars[i.arg] = stack[--sp]; break;
            case ADD: sp--; stack[sp - 1] += stack[sp]; break;
            case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
            case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
            case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
            case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
            case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
            case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
            case JMP: pc = i.arg; break;
            case JZ: if (!stack[--sp]) pc = i.arg; break;
            case CALL: returns[fp] = pc; fp++; vars = frames[fp]; pc = functions[i.arg / 256].address; break;
            case RET: fp--; vars = frames[fp]; pc = returns[fp]; break;
            case PRINT: printf("%lld\n", stack[--sp]); break;
            case HALT: return steps;
        }
    }
}

static const char *programs[] = {
    "fn fib(n) { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }\n"
    "print fib(24);",
    "# primes below 20000\n"
    "n = 2; count = 0; last = 0;\n"
    "while n < 20000 { d = 2; prime = 1; while d * d < n + 1 { if n % d == 0 { prime = 0; d = n; } d = d + 1; }\n"
    "  if prime == 1 { count = count + 1; last = n; } n = n + 1; }\n"
    "print count; print last;",
    "fn gcd(a, b) { while 0 < b { t = a % b; a = b; b = t; } return a; }\n"
    "fn collatz(n) { steps = 0; while 1 < n { if n % 2 == 0 { n = n / 2; } else { n = 3 * n + 1; } steps = steps + 1; } return steps; }\n"
    "i = 1; best = 0; arg = 0; while i < 30000 { s = collatz(i); if best < s { best = s; arg = i; } i = i + 1; }\n"
    "print arg; print best; print gcd(1071, 462);",
};

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    for (int k = 0; k < 3; k++) {
        ncode = 0; nfunctions = 0; src = programs[k];
        program();
        printf("program %d: %d instructions\n", k, ncode);
        long steps = run();
        printf("program %d: %ld steps\n", k, steps);
    }
    return 0;
}
