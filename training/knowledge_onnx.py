"""ONNX writing shared by the segment and anomaly trainers (onnx.helper, opset 17 + ai.onnx.ml 3)."""
import datetime
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def save_model(graph, folder, config):
    """Writes model.onnx and config.json (Triton-style contract, see models/README.md) into folder."""
    save_onnx(graph, os.path.join(folder, "model.onnx"))
    config = {**config, "platform": "onnxruntime_onnx", "max_batch_size": 0, "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def save_onnx(graph, path):
    """graph → a checked ONNX file (opset 17, ai.onnx.ml 3, IR 8: what onnxruntime-node loads)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def io_contract(width, output):
    return {
        "input": [{"name": "features", "data_type": "TYPE_FP32", "dims": [-1, width]}],
        "output": [{"name": output, "data_type": "TYPE_FP32", "dims": [-1, 1]}],
    }


def features_input(width):
    return helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, width])


def float_output(name):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, 1])
