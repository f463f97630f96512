/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the JSON loader. Run by `make fuzz`. */
#include "fuzz.h"

static int
load(const char *buf, size_t len, struct tv_source *src, struct tv_error *err)
{
	return tv_load_json("fuzz.json", buf, len, 0, src, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_source(load, data, size);
}
