/* Reference types from C (clang >= 17): the host passes a .NET object in as an externref; the program keeps it in a
   table, asks the host about it and hands it back. No native build: externref exists only in wasm. */
#include <stdint.h>

typedef __externref_t ref;

/* Host functions (module "host"): describe an object, and receive one back. */
__attribute__((import_module("host"), import_name("length"))) int32_t host_length(ref object);
__attribute__((import_module("host"), import_name("take"))) void host_take(ref object, int32_t tag);

/* A wasm table of references (address space 1, declared with length 0 and grown at run time): the only place C can
   keep an externref beyond a call. */
static __externref_t kept[0];

/* Makes room for n objects, all null. */
__attribute__((export_name("init"))) void init(int32_t n) {
    __builtin_wasm_table_grow(kept, __builtin_wasm_ref_null_extern(), n);
}

/* Stores the object in slot i and returns the host's idea of its length. */
__attribute__((export_name("keep"))) int32_t keep(ref object, int32_t i) {
    __builtin_wasm_table_set(kept, i, object);
    return host_length(object);
}

/* Gives the object in slot i back to the host, tagged with 100 + i. */
__attribute__((export_name("give_back"))) void give_back(int32_t i) {
    host_take(__builtin_wasm_table_get(kept, i), 100 + i);
}

/* Returns the object in slot i as a result. */
__attribute__((export_name("get"))) ref get(int32_t i) {
    return __builtin_wasm_table_get(kept, i);
}

/* How many slots there are. */
__attribute__((export_name("size"))) int32_t size(void) {
    return __builtin_wasm_table_size(kept);
}
