"""The savings the openai-whisper backend applies to its model (see
:class:`~respell.audio.backends.OpenAIWhisperBackend`): the same tokens as
openai-whisper, a fraction of its work. Only the model object changes, never the
library. Imported only by that backend, so torch and whisper are imported here
inside the functions.
"""

from __future__ import annotations

import functools
import os


def torch_threads() -> int:
    """Threads for torch on a CPU: ``$RESPELL_TORCH_THREADS``, else the cores that are
    idle when the model loads (at least one).

    Whisper's decoder runs thousands of small matrix products a minute of audio. On
    cores other work keeps busy, each parallel step waits for the slowest thread: one
    thread was 10-30 times faster per step than two on the 2-core development machine
    under load. On idle cores the threads pay: the bundled two-minute sample took 10.4 s
    with two threads against 21.3 s with one (tiny.en, ``--bias none``; 24.7 s against
    48.1 s in the window mode), as fast as faster-whisper there. So the default counts
    the cores this process may use that the last minute's load average leaves idle.
    """
    value = os.environ.get("RESPELL_TORCH_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return idle_cores()


def idle_cores() -> int:
    """The cores this process may run on that the 1-minute load average leaves idle (a
    core busy less than a quarter of the time counts as idle); at least one, and one
    where the load cannot be read."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows, or no load figure
        return 1
    return max(1, min(cores, int(cores - load + 0.75)))


def speed_up(model) -> None:
    """Give ``model`` (an openai-whisper ``Whisper``) the four savings described in
    :class:`OpenAIWhisperBackend`; only this object changes, not the library."""
    import types

    for block in model.decoder.blocks:
        attn = block.cross_attn
        attn.qkv_attention = types.MethodType(_shared_audio_attention, attn)
    model.decode = types.MethodType(_decode_once_per_prompt, model)
    model.encoder.forward = _LastEncoding(model.encoder.forward)


class _LastEncoding:
    """The encoder, remembering its last input and output: ``whisper.transcribe`` encodes
    each window to decode it, then again (the same spectrogram) for word timestamps.

    A spectrogram is known again by its storage, shape, strides and version counter
    (bumped by any in-place change); the input is held, so its memory cannot be
    reused by another tensor while it is remembered.
    """

    def __init__(self, forward) -> None:
        self.forward = forward
        self.key = self.input = self.output = None

    def __call__(self, x):
        key = (x.data_ptr(), tuple(x.shape), x.stride(), x._version, x.dtype, x.device)
        if key != self.key:
            self.input, self.output, self.key = x, self.forward(x), key
        return self.output


def _shared_audio_attention(self, q, k, v, mask=None):
    """Cross-attention of ``n`` beams' queries against one audio's keys and values.

    openai-whisper passes keys and values of batch 1 with queries of batch ``n``; its
    attention then broadcasts (copies) them per beam at every step. The beams' queries
    are independent rows, so they are put side by side as one batch-1 query instead:
    the same numbers, one read of the keys. Where the attention weights are wanted
    (word timestamps switch the fused attention off), openai-whisper's own code runs.
    """
    from whisper import model as whisper_model

    method = type(self).qkv_attention
    n, ctx, state = q.shape
    fused = whisper_model.SDPA_AVAILABLE and type(self).use_sdpa
    if k.shape[0] != 1 or n == 1 or mask is not None or not fused:
        return method(self, q, k, v, mask)
    out, _ = method(self, q.reshape(1, n * ctx, state), k, v, None)
    return out.reshape(n, ctx, -1), None


def _decode_once_per_prompt(model, mel, options=None, **kwargs):
    """``whisper.decode`` whose first step runs the prompt once for all beams and
    projects onto the vocabulary only the positions the search reads."""
    from dataclasses import replace

    from whisper.decoding import DecodingOptions, DecodingTask

    options = replace(options or DecodingOptions(), **kwargs)
    single = mel.ndim == 2
    if single:
        mel = mel.unsqueeze(0)
    task = DecodingTask(model, options)
    if options.language is not None and mel.shape[0] == 1:  # no language detection step
        inference = _prompt_once_inference()(model, len(task.initial_tokens), task.sot_index)
        task.inference = inference
        if hasattr(task.decoder, "inference"):  # beam search keeps its own reference
            task.decoder.inference = inference
        task.sot_index = 0  # the first step's logits hold [start of transcript, last]
    result = task.run(mel)
    return result[0] if single else result


@functools.cache
def _prompt_once_inference():
    """openai-whisper's ``PyTorchInference`` with a cheaper first step (a class made on
    first use, so that importing this module imports no torch)."""
    from whisper.decoding import PyTorchInference

    class PromptOnceInference(PyTorchInference):
        def __init__(self, model, initial_token_length: int, sot_index: int) -> None:
            super().__init__(model, initial_token_length)
            self.sot_index = sot_index

        def logits(self, tokens, audio_features):
            if not self.kv_cache:
                self.kv_cache, self.hooks = self.model.install_kv_cache_hooks()
            decoder = self.model.decoder
            if tokens.shape[-1] > self.initial_token_length:
                return _decoder_logits(decoder, tokens[:, -1:], audio_features, self.kv_cache)
            # first step: the rows are copies of one prompt (beams or samples of one audio)
            n = tokens.shape[0]
            same = n > 1 and audio_features.shape[0] == 1 and bool((tokens == tokens[:1]).all())
            where = [self.sot_index, tokens.shape[-1] - 1]
            logits = _decoder_logits(decoder, tokens[:1] if same else tokens, audio_features,
                                     self.kv_cache, where)
            if same:
                for module in self.kv_modules:
                    self.kv_cache[module] = self.kv_cache[module].repeat(n, 1, 1)
                logits = logits.repeat(n, 1, 1)
            return logits

    return PromptOnceInference


def _decoder_logits(decoder, x, xa, kv_cache, where=None):
    """openai-whisper's ``TextDecoder.forward`` projecting onto the vocabulary only the
    positions ``where`` (all when None)."""
    import torch

    offset = next(iter(kv_cache.values())).shape[1] if kv_cache else 0
    x = decoder.token_embedding(x) + decoder.positional_embedding[offset : offset + x.shape[-1]]
    x = x.to(xa.dtype)
    for block in decoder.blocks:
        x = block(x, xa, mask=decoder.mask, kv_cache=kv_cache)
    x = decoder.ln(x if where is None else x[:, where])
    return (x @ torch.transpose(decoder.token_embedding.weight.to(x.dtype), 0, 1)).float()
