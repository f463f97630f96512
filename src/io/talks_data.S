/* SPDX-License-Identifier: MIT */
/*
 * The built-in talks: the files of data/talks/ assembled into the binary
 * as they are, like the scenarios (scenarios_data.S).
 */

	.section .rodata
	.global tv_talk_temperature
	.global tv_talk_temperature_size
	.balign 16
tv_talk_temperature:
	.incbin "data/talks/temperature.talk"
tv_talk_temperature_end:
	.balign 8
tv_talk_temperature_size:
	.quad tv_talk_temperature_end - tv_talk_temperature

	.section .rodata
	.global tv_talk_france
	.global tv_talk_france_size
	.balign 16
tv_talk_france:
	.incbin "data/talks/france.talk"
tv_talk_france_end:
	.balign 8
tv_talk_france_size:
	.quad tv_talk_france_end - tv_talk_france

	.section .rodata
	.global tv_talk_lab
	.global tv_talk_lab_size
	.balign 16
tv_talk_lab:
	.incbin "data/talks/lab.talk"
tv_talk_lab_end:
	.balign 8
tv_talk_lab_size:
	.quad tv_talk_lab_end - tv_talk_lab

	.section .rodata
	.global tv_talk_attention
	.global tv_talk_attention_size
	.balign 16
tv_talk_attention:
	.incbin "data/talks/attention.talk"
tv_talk_attention_end:
	.balign 8
tv_talk_attention_size:
	.quad tv_talk_attention_end - tv_talk_attention

	.section .rodata
	.global tv_talk_text
	.global tv_talk_text_size
	.balign 16
tv_talk_text:
	.incbin "data/talks/text.talk"
tv_talk_text_end:
	.balign 8
tv_talk_text_size:
	.quad tv_talk_text_end - tv_talk_text

	.section .note.GNU-stack,"",@progbits
