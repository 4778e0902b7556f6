#ifndef SAUTI_COPUS_SHIM_H
#define SAUTI_COPUS_SHIM_H

#include <opus/opus.h>

/*
 * opus_encoder_ctl / opus_decoder_ctl are variadic and their requests are function-like
 * macros, so Swift can import neither: one static inline wrapper per request we use.
 * Each returns the libopus status (OPUS_OK == 0 or a negative error code).
 */

/* MARK: Encoder setters */

static inline int sauti_opus_enc_set_bitrate(OpusEncoder *st, opus_int32 bps) {
    return opus_encoder_ctl(st, OPUS_SET_BITRATE(bps));
}
static inline int sauti_opus_enc_set_inband_fec(OpusEncoder *st, opus_int32 on) {
    return opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(on));
}
static inline int sauti_opus_enc_set_packet_loss_perc(OpusEncoder *st, opus_int32 percent) {
    return opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(percent));
}
static inline int sauti_opus_enc_set_dtx(OpusEncoder *st, opus_int32 on) {
    return opus_encoder_ctl(st, OPUS_SET_DTX(on));
}
static inline int sauti_opus_enc_set_max_bandwidth(OpusEncoder *st, opus_int32 bandwidth) {
    return opus_encoder_ctl(st, OPUS_SET_MAX_BANDWIDTH(bandwidth));
}
static inline int sauti_opus_enc_set_complexity(OpusEncoder *st, opus_int32 complexity) {
    return opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(complexity));
}
static inline int sauti_opus_enc_set_signal(OpusEncoder *st, opus_int32 signal) {
    return opus_encoder_ctl(st, OPUS_SET_SIGNAL(signal));
}
static inline int sauti_opus_enc_set_vbr(OpusEncoder *st, opus_int32 on) {
    return opus_encoder_ctl(st, OPUS_SET_VBR(on));
}
static inline int sauti_opus_enc_reset_state(OpusEncoder *st) {
    return opus_encoder_ctl(st, OPUS_RESET_STATE);
}

/* MARK: Encoder getters */

static inline int sauti_opus_enc_get_bitrate(OpusEncoder *st, opus_int32 *bps) {
    return opus_encoder_ctl(st, OPUS_GET_BITRATE(bps));
}
static inline int sauti_opus_enc_get_inband_fec(OpusEncoder *st, opus_int32 *on) {
    return opus_encoder_ctl(st, OPUS_GET_INBAND_FEC(on));
}
static inline int sauti_opus_enc_get_packet_loss_perc(OpusEncoder *st, opus_int32 *percent) {
    return opus_encoder_ctl(st, OPUS_GET_PACKET_LOSS_PERC(percent));
}
static inline int sauti_opus_enc_get_dtx(OpusEncoder *st, opus_int32 *on) {
    return opus_encoder_ctl(st, OPUS_GET_DTX(on));
}
static inline int sauti_opus_enc_get_max_bandwidth(OpusEncoder *st, opus_int32 *bandwidth) {
    return opus_encoder_ctl(st, OPUS_GET_MAX_BANDWIDTH(bandwidth));
}
static inline int sauti_opus_enc_get_complexity(OpusEncoder *st, opus_int32 *complexity) {
    return opus_encoder_ctl(st, OPUS_GET_COMPLEXITY(complexity));
}
static inline int sauti_opus_enc_get_signal(OpusEncoder *st, opus_int32 *signal) {
    return opus_encoder_ctl(st, OPUS_GET_SIGNAL(signal));
}
static inline int sauti_opus_enc_get_vbr(OpusEncoder *st, opus_int32 *on) {
    return opus_encoder_ctl(st, OPUS_GET_VBR(on));
}
static inline int sauti_opus_enc_get_lookahead(OpusEncoder *st, opus_int32 *samples) {
    return opus_encoder_ctl(st, OPUS_GET_LOOKAHEAD(samples));
}

/* MARK: Decoder */

static inline int sauti_opus_dec_get_last_packet_duration(OpusDecoder *st, opus_int32 *samples) {
    return opus_decoder_ctl(st, OPUS_GET_LAST_PACKET_DURATION(samples));
}
static inline int sauti_opus_dec_reset_state(OpusDecoder *st) {
    return opus_decoder_ctl(st, OPUS_RESET_STATE);
}

#endif
