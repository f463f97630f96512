/* SPDX-License-Identifier: MIT */
/*
 * The trie binary, as sphinxbase writes it (ngram_model_trie_write_bin,
 * lm_trie_write_bin, lm_trie_quant_write_bin), for a trigram model:
 *
 *   "Trie Language Model" (19 bytes), the order (1 byte), the n-gram
 *   counts (3 x uint32), an int32, the quantiser's tables (bigram
 *   probabilities, bigram backoffs, trigram probabilities: 65,536 floats
 *   each), the unigrams ((vocab + 1) x {float prob, float bo, uint32
 *   next}), the bit-packed bigrams ({word, backoff code: 16, probability
 *   code: 16, next}) and trigrams ({word, probability code: 16}), each
 *   array one entry longer than its count and 8 bytes of slack, then the
 *   word list (an int32 byte count and the words).
 *
 * A word field is as wide as the vocabulary needs, a next field as wide as
 * the count of the order below needs; an entry's children are the entries
 * from its next to the next entry's, sorted by word.
 */
#include "lm/trie.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "Trie Language Model"
#define MAGIC_LEN 19
#define CODES 65536u
/* Bytes of a unigram record. */
#define UNI 12u

struct tv_trie {
	uint8_t *map;
	size_t len;
	uint32_t vocab, n2, n3;
	const float *bg_prob, *bg_bo, *tg_prob;
	const uint8_t *bg, *tg;         /* the bit-packed arrays */
	unsigned word_bits, next_bits, bg_bits, tg_bits;
	/* The unigrams, unpacked. */
	float *prob, *bo;
	uint32_t *next;
	/* The successor index (see build_index), built on first need. */
	uint32_t *succ_at, *succ_w, *tri_at;
	uint16_t *succ_code;
	uint64_t *tri;
	int index_bad;
};

/* Bits a field needs to hold values up to max (sphinxbase's
 * bitarr_required_bits). */
static unsigned
bits_for(uint32_t max)
{
	unsigned b = 0;

	while (max) {
		b++;
		max >>= 1;
	}
	return b;
}

/* Bytes of a bit-packed array of entries + 1 records of bits each. */
static size_t
packed_size(uint32_t entries, unsigned bits)
{
	return (((uint64_t)entries + 1) * bits + 7) / 8 + 8;
}

static uint32_t
field(const uint8_t *base, uint64_t bit, unsigned len)
{
	uint32_t v;

	memcpy(&v, base + (bit >> 3), sizeof v);
	return (v >> (bit & 7)) & ((UINT32_C(1) << len) - 1);
}

static uint32_t
bg_word(const struct tv_trie *t, uint32_t j)
{
	return field(t->bg, (uint64_t)j * t->bg_bits, t->word_bits);
}

static uint32_t
bg_next(const struct tv_trie *t, uint32_t j)
{
	return field(t->bg, (uint64_t)j * t->bg_bits + t->word_bits + 32,
		     t->next_bits);
}

static float
bg_bo(const struct tv_trie *t, uint32_t j)
{
	return t->bg_bo[field(t->bg, (uint64_t)j * t->bg_bits + t->word_bits,
			      16)];
}

static uint32_t
tg_word(const struct tv_trie *t, uint32_t j)
{
	return field(t->tg, (uint64_t)j * t->tg_bits, t->word_bits);
}

typedef uint32_t word_fn(const struct tv_trie *t, uint32_t j);

/*
 * The entry of word key among entries [begin, end), or -1: sphinxbase's
 * interpolation search (uniform_find in lm_trie.c) step for step, in its
 * uint32 arithmetic. On the few children lists the file holds out of
 * order it misses words that are there; the scores follow it.
 */
static int64_t
find(const struct tv_trie *t, word_fn *word, uint32_t begin, uint32_t end,
     uint32_t key)
{
	uint32_t before = begin - 1, before_v = 0, after = end;
	uint32_t after_v = t->vocab;

	while (after - before > 1) {
		uint32_t off = key - before_v, range = after_v - before_v;
		uint32_t pivot = before + (1 + (uint32_t)((uint32_t)(off *
					(after - before - 1)) / (range + 1)));
		uint32_t mid = word(t, pivot);

		if (mid < key) {
			before = pivot;
			before_v = mid;
		} else if (mid > key) {
			after = pivot;
			after_v = mid;
		} else {
			return pivot;
		}
	}
	return -1;
}

/* Whether entries [a, b) rise strictly: then find finds every one. */
static int
rising(const struct tv_trie *t, word_fn *word, uint32_t a, uint32_t b)
{
	for (uint32_t k = a + 1; k < b; k++)
		if (word(t, k - 1) >= word(t, k))
			return 0;
	return 1;
}

/* Whether sphinxbase's search for the word of entry k, among [a, b) of
 * which sorted says whether they rise, lands on k. */
static int
found(const struct tv_trie *t, word_fn *word, uint32_t a, uint32_t b,
      uint32_t k, int sorted)
{
	return sorted || find(t, word, a, b, word(t, k)) == (int64_t)k;
}

static int
little_endian(void)
{
	uint32_t one = 1;
	unsigned char b;

	memcpy(&b, &one, 1);
	return b == 1;
}

void
tv_trie_free(struct tv_trie *t)
{
	if (!t)
		return;
	if (t->map)
		munmap(t->map, t->len);
	free(t->prob);
	free(t->bo);
	free(t->next);
	free(t->succ_at);
	free(t->succ_w);
	free(t->succ_code);
	free(t->tri_at);
	free(t->tri);
	free(t);
}

/* The layout of the mapped file; 0 when every part is where its counts
 * put it and the word list ends the file. */
static int
layout(struct tv_trie *t)
{
	const uint8_t *p = t->map;
	uint32_t c[3];
	size_t at = MAGIC_LEN + 1 + sizeof c + 4, bg_len, tg_len;
	int32_t words;

	if (t->len < at || memcmp(p, MAGIC, MAGIC_LEN) != 0 ||
	    p[MAGIC_LEN] != 3)
		return -1;
	memcpy(c, p + MAGIC_LEN + 1, sizeof c);
	if (c[0] != t->vocab || c[0] == 0 || bits_for(c[0]) > 25 ||
	    bits_for(c[2]) > 25)
		return -1;
	t->n2 = c[1];
	t->n3 = c[2];
	t->word_bits = bits_for(c[0]);
	t->next_bits = bits_for(c[2]);
	t->bg_bits = t->word_bits + 32 + t->next_bits;
	t->tg_bits = t->word_bits + 16;
	bg_len = packed_size(c[1], t->bg_bits);
	tg_len = packed_size(c[2], t->tg_bits);
	if (t->len - at < 3 * (size_t)CODES * sizeof(float) +
	    ((size_t)c[0] + 1) * UNI + bg_len + tg_len + 4)
		return -1;
	t->bg_prob = (const float *)(const void *)(p + at);
	t->bg_bo = t->bg_prob + CODES;
	t->tg_prob = t->bg_bo + CODES;
	at += 3 * (size_t)CODES * sizeof(float);
	t->prob = malloc(((size_t)c[0] + 1) * sizeof *t->prob);
	t->bo = malloc(((size_t)c[0] + 1) * sizeof *t->bo);
	t->next = malloc(((size_t)c[0] + 1) * sizeof *t->next);
	if (!t->prob || !t->bo || !t->next)
		return -1;
	for (uint32_t w = 0; w <= c[0]; w++, at += UNI) {
		memcpy(&t->prob[w], p + at, 4);
		memcpy(&t->bo[w], p + at + 4, 4);
		memcpy(&t->next[w], p + at + 8, 4);
		if (w > 0 && t->next[w] < t->next[w - 1])
			return -1;
	}
	if (t->next[c[0]] > c[1])
		return -1;
	t->bg = p + at;
	t->tg = p + at + bg_len;
	at += bg_len + tg_len;
	memcpy(&words, p + at, sizeof words);
	return words >= 0 && (size_t)words == t->len - at - 4 ? 0 : -1;
}

struct tv_trie *
tv_trie_open(const char *path, uint32_t vocab)
{
	struct tv_trie *t;
	struct stat sb;
	void *map;
	int fd;

	if (!little_endian())
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    !(t = calloc(1, sizeof *t))) {
		close(fd);
		return NULL;
	}
	t->len = (size_t)sb.st_size;
	t->vocab = vocab;
	map = mmap(NULL, t->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		free(t);
		return NULL;
	}
	t->map = map;
	if (layout(t) != 0) {
		tv_trie_free(t);
		return NULL;
	}
	return t;
}

/*
 * The index, from two passes over the bigrams (the histories h1 under
 * each w, and under each of those the trigram histories h2):
 *
 *   the successors of h1: succ_w (w ascending) and succ_code (the bigram
 *   probability's code), entries succ_at[h1] .. succ_at[h1 + 1];
 *   the trigrams after h1: tri, each (h2 << 40 | w << 16 | code), sorted
 *   by h2 then w, entries tri_at[h1] .. tri_at[h1 + 1].
 *
 * The first pass counts and checks what the scores read: words inside
 * the vocabulary, next fields rising and inside the trigrams. The
 * trigrams are sorted by two stable counting passes (by h2, then by h1).
 */
static int
count_pass(struct tv_trie *t, uint32_t *h2_at)
{
	uint32_t v = t->vocab, prev = 0;

	for (uint32_t j = t->next[0]; j <= t->next[v]; j++) {
		uint32_t nx = bg_next(t, j);

		if (nx < prev || nx > t->n3)
			return -1;
		prev = nx;
	}
	for (uint32_t j = t->next[0]; j < t->next[v]; j++)
		if (bg_word(t, j) >= v)
			return -1;
	for (uint32_t k = 0; k < t->n3; k++)
		if (tg_word(t, k) >= v)
			return -1;
	for (uint32_t w = 0; w < v; w++) {
		uint32_t a0 = t->next[w], b0 = t->next[w + 1];
		int up = rising(t, bg_word, a0, b0);

		for (uint32_t j = a0; j < b0; j++) {
			uint32_t h1 = bg_word(t, j);
			uint32_t a = bg_next(t, j), b = bg_next(t, j + 1);
			int up2 = rising(t, tg_word, a, b);

			if (!found(t, bg_word, a0, b0, j, up))
				continue;
			t->succ_at[h1 + 2]++;
			for (uint32_t k = a; k < b; k++)
				if (found(t, tg_word, a, b, k, up2)) {
					t->tri_at[h1 + 2]++;
					h2_at[tg_word(t, k) + 1]++;
				}
		}
	}
	return 0;
}

/* Counts to starts: at[h + 1] becomes where h's entries go first. */
static void
starts(uint32_t *at, uint32_t v)
{
	for (uint32_t h = 0; h < v; h++)
		at[h + 2] += at[h + 1];
}

static void
place(struct tv_trie *t, uint32_t *h2_at, uint64_t *by_h2, uint32_t *h1_of)
{
	uint32_t v = t->vocab;

	for (uint32_t w = 0; w < v; w++) {
		uint32_t a0 = t->next[w], b0 = t->next[w + 1];
		int up = rising(t, bg_word, a0, b0);

		for (uint32_t j = a0; j < b0; j++) {
			uint32_t h1 = bg_word(t, j), q;
			uint32_t a = bg_next(t, j), b = bg_next(t, j + 1);
			int up2 = rising(t, tg_word, a, b);

			if (!found(t, bg_word, a0, b0, j, up))
				continue;
			q = t->succ_at[h1 + 1]++;
			t->succ_w[q] = w;
			t->succ_code[q] = (uint16_t)field(t->bg, (uint64_t)j *
				t->bg_bits + t->word_bits + 16, 16);
			for (uint32_t k = a; k < b; k++) {
				uint64_t h2 = tg_word(t, k);
				uint32_t r;

				if (!found(t, tg_word, a, b, k, up2))
					continue;
				r = h2_at[h2]++;
				by_h2[r] = h2 << 40 | (uint64_t)w << 16 |
					   field(t->tg, (uint64_t)k * t->tg_bits +
						 t->word_bits, 16);
				h1_of[r] = h1;
			}
		}
	}
	for (uint64_t r = 0; r < t->tri_at[v + 1]; r++)
		t->tri[t->tri_at[h1_of[r] + 1]++] = by_h2[r];
}

static int
build_index(struct tv_trie *t)
{
	uint32_t v = t->vocab, n2 = t->next[v] - t->next[0];
	uint64_t n3;
	uint32_t *h2_at = NULL, *h1_of = NULL;
	uint64_t *by_h2 = NULL;

	if (t->succ_at || t->index_bad)
		return t->index_bad ? -1 : 0;
	t->index_bad = 1;
	t->succ_at = calloc((size_t)v + 2, sizeof *t->succ_at);
	t->tri_at = calloc((size_t)v + 2, sizeof *t->tri_at);
	h2_at = calloc((size_t)v + 1, sizeof *h2_at);
	if (!t->succ_at || !t->tri_at || !h2_at || t->word_bits > 24 ||
	    count_pass(t, h2_at) != 0)
		goto out;
	starts(t->succ_at, v);
	starts(t->tri_at, v);
	for (uint32_t h = 0; h < v; h++)
		h2_at[h + 1] += h2_at[h];
	n3 = t->tri_at[v + 1];
	t->succ_w = malloc((n2 ? n2 : 1) * sizeof *t->succ_w);
	t->succ_code = malloc((n2 ? n2 : 1) * sizeof *t->succ_code);
	t->tri = malloc((n3 ? n3 : 1) * sizeof *t->tri);
	by_h2 = malloc((n3 ? n3 : 1) * sizeof *by_h2);
	h1_of = malloc((n3 ? n3 : 1) * sizeof *h1_of);
	if (!t->succ_w || !t->succ_code || !t->tri || !by_h2 || !h1_of)
		goto out;
	place(t, h2_at, by_h2, h1_of);
	t->index_bad = 0;
out:
	free(h2_at);
	free(h1_of);
	free(by_h2);
	return t->index_bad ? -1 : 0;
}

int
tv_trie_scores(struct tv_trie *t, const int32_t *hist, int nh,
	       int32_t *score)
{
	uint32_t v = t->vocab, h1, h2, q, end;
	float bo1, bo2 = 0;

	if (nh == 0) {
		for (uint32_t w = 0; w < v; w++)
			score[w] = (int32_t)t->prob[w];
		return 0;
	}
	if (build_index(t) != 0)
		return -1;
	h1 = (uint32_t)hist[0];
	h2 = nh == 2 ? (uint32_t)hist[1] : 0;
	bo1 = t->bo[h1];
	if (nh == 2) {
		int64_t j = find(t, bg_word, t->next[h1], t->next[h1 + 1], h2);

		if (j >= 0)
			bo2 = bg_bo(t, (uint32_t)j);
	}
	/* Without a bigram after h1: the unigram and both backoffs, added
	 * in sphinxbase's order (bo2 is 0 without a bigram (h2, h1)). */
	for (uint32_t w = 0; w < v; w++) {
		float p = t->prob[w];

		p += bo1;
		p += bo2;
		score[w] = (int32_t)p;
	}
	/* With one and no trigram: the bigram, plus bo2 after two words. */
	end = t->succ_at[h1 + 1];
	for (q = t->succ_at[h1]; q < end; q++) {
		float p = t->bg_prob[t->succ_code[q]];

		if (nh == 2)
			p += bo2;
		score[t->succ_w[q]] = (int32_t)p;
	}
	if (nh < 2)
		return 0;
	/* The trigrams (h2, h1, w): h1's, from the first with h2. */
	q = t->tri_at[h1];
	end = t->tri_at[h1 + 1];
	for (uint32_t hi = end; q < hi;) {
		uint32_t mid = q + (hi - q) / 2;

		if (t->tri[mid] >> 40 < h2)
			q = mid + 1;
		else
			hi = mid;
	}
	for (; q < end && t->tri[q] >> 40 == h2; q++)
		score[(t->tri[q] >> 16) & 0xffffff] =
			(int32_t)t->tg_prob[t->tri[q] & 0xffff];
	return 0;
}
