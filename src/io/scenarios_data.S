/* SPDX-License-Identifier: MIT */
/*
 * The built-in scenarios: the files of data/ assembled into the binary as
 * they are, so the program needs no data directory at run time. Each blob
 * has a start symbol and a size symbol (an 8-byte little-endian count).
 * Assembled from the top directory, where data/ is.
 */

	.section .rodata
	.global tv_scn_approve
	.global tv_scn_approve_size
	.balign 16
tv_scn_approve:
	.incbin "data/approve.tsv"
tv_scn_approve_end:
	.balign 8
tv_scn_approve_size:
	.quad tv_scn_approve_end - tv_scn_approve

	.section .rodata
	.global tv_scn_france
	.global tv_scn_france_size
	.balign 16
tv_scn_france:
	.incbin "data/france.tsv"
tv_scn_france_end:
	.balign 8
tv_scn_france_size:
	.quad tv_scn_france_end - tv_scn_france

	.section .rodata
	.global tv_scn_nucleus
	.global tv_scn_nucleus_size
	.balign 16
tv_scn_nucleus:
	.incbin "data/nucleus.tsv"
tv_scn_nucleus_end:
	.balign 8
tv_scn_nucleus_size:
	.quad tv_scn_nucleus_end - tv_scn_nucleus

	.section .rodata
	.global tv_scn_factual
	.global tv_scn_factual_size
	.balign 16
tv_scn_factual:
	.incbin "data/factual.tsv"
tv_scn_factual_end:
	.balign 8
tv_scn_factual_size:
	.quad tv_scn_factual_end - tv_scn_factual

	.section .rodata
	.global tv_scn_story
	.global tv_scn_story_size
	.balign 16
tv_scn_story:
	.incbin "data/story.tsv"
tv_scn_story_end:
	.balign 8
tv_scn_story_size:
	.quad tv_scn_story_end - tv_scn_story

	.section .rodata
	.global tv_scn_code
	.global tv_scn_code_size
	.balign 16
tv_scn_code:
	.incbin "data/code.tsv"
tv_scn_code_end:
	.balign 8
tv_scn_code_size:
	.quad tv_scn_code_end - tv_scn_code

	.section .rodata
	.global tv_scn_twolevel
	.global tv_scn_twolevel_size
	.balign 16
tv_scn_twolevel:
	.incbin "data/twolevel.tsv"
tv_scn_twolevel_end:
	.balign 8
tv_scn_twolevel_size:
	.quad tv_scn_twolevel_end - tv_scn_twolevel

	.section .rodata
	.global tv_scn_longtail
	.global tv_scn_longtail_size
	.balign 16
tv_scn_longtail:
	.incbin "data/longtail.tsv"
tv_scn_longtail_end:
	.balign 8
tv_scn_longtail_size:
	.quad tv_scn_longtail_end - tv_scn_longtail

	.section .rodata
	.global tv_scn_tie
	.global tv_scn_tie_size
	.balign 16
tv_scn_tie:
	.incbin "data/tie.tsv"
tv_scn_tie_end:
	.balign 8
tv_scn_tie_size:
	.quad tv_scn_tie_end - tv_scn_tie

	.section .rodata
	.global tv_scn_uniform
	.global tv_scn_uniform_size
	.balign 16
tv_scn_uniform:
	.incbin "data/uniform.tsv"
tv_scn_uniform_end:
	.balign 8
tv_scn_uniform_size:
	.quad tv_scn_uniform_end - tv_scn_uniform

	.section .note.GNU-stack,"",@progbits
