"""Gradient-boosted trees (sklearn HistGradientBoostingClassifier), alone or blended with the logistic
model, as one ONNX graph with the serving contract: `features` float32 [-1, N] → `probability` [-1, 1].

The fitted trees become an `ai.onnx.ml` TreeEnsembleRegressor (sum of leaf values + the baseline logit);
the logistic member is written with plain operators (Gather, standardise, clip, MatMul; a categorical code
looks its one-hot weight up); the graph answers sigmoid(a · mean of the members' logits + b), the Platt
map of the most recent fold. No skl2onnx: the nodes are read from the fitted predictors.
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from knowledge_onnx import features_input, float_output, tensor


def float32_floor(t):
    """Largest float32 ≤ t. The runtime compares the float32 input with a float32 threshold; for a float32
    x, x ≤ t ⇔ x ≤ float32_floor(t), so the ONNX splits equal sklearn's float64 ones exactly."""
    f = np.float32(t)
    return f if float(f) <= t else np.nextafter(f, np.float32(-np.inf))


def ensemble_attributes(model, columns):
    """TreeEnsembleRegressor attributes of a fitted binary HistGradientBoostingClassifier (numeric splits:
    x ≤ threshold goes left; a missing value goes where sklearn sends it)."""
    if getattr(model, "is_categorical_", None) is not None and np.any(model.is_categorical_):
        raise ValueError("categorical splits are not exported; treat the codes as numeric")
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                             "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                             "target_treeids", "target_nodeids", "target_ids", "target_weights"]}
    for tree_id, (predictor,) in enumerate(model._predictors):
        for node_id, node in enumerate(predictor.nodes):
            leaf = bool(node["is_leaf"])
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node_id)
            attrs["nodes_featureids"].append(0 if leaf else int(columns[int(node["feature_idx"])]))
            attrs["nodes_values"].append(0.0 if leaf else float(float32_floor(float(node["num_threshold"]))))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(0 if leaf else int(node["left"]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(node["right"]))
            attrs["nodes_missing_value_tracks_true"].append(0 if leaf else int(node["missing_go_to_left"]))
            if leaf:
                attrs["target_treeids"].append(tree_id)
                attrs["target_nodeids"].append(node_id)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(float(node["value"]))
    return attrs


def baseline_logit(model):
    return float(np.asarray(model._baseline_prediction).ravel()[0])


def _tree_logit(model, prefix):
    """Nodes computing the trees' raw logit [N, 1] from `features` (manifest order)."""
    return [helper.make_node("TreeEnsembleRegressor", ["features"], [f"{prefix}_logit"], domain="ai.onnx.ml", n_targets=1,
                             aggregate_function="SUM", post_transform="NONE", base_values=[baseline_logit(model)],
                             **ensemble_attributes(model, model.columns_))], []


def _int64(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def _linear_logit(model, prefix):
    """Nodes computing delivery.LinearRisk's logit [N, 1]: w · [clip((x - mean) / std, ±8), one-hot codes] + b."""
    w = model.linear.weight.detach().numpy().astype(np.float64).ravel()
    n_num = len(model.num_idx)
    p = prefix
    inits = [_int64(f"{p}_num_idx", model.num_idx.numpy()), tensor(f"{p}_mean", model.mean.numpy()),
             tensor(f"{p}_std", model.std.numpy()), tensor(f"{p}_lo", -8.0), tensor(f"{p}_hi", 8.0),
             tensor(f"{p}_w_num", w[:n_num].reshape(-1, 1)), tensor(f"{p}_bias", model.linear.bias.detach().numpy().reshape(1, 1))]
    nodes = [
        helper.make_node("Gather", ["features", f"{p}_num_idx"], [f"{p}_x"], axis=1),
        helper.make_node("Sub", [f"{p}_x", f"{p}_mean"], [f"{p}_xc"]),
        helper.make_node("Div", [f"{p}_xc", f"{p}_std"], [f"{p}_xs"]),
        helper.make_node("Clip", [f"{p}_xs", f"{p}_lo", f"{p}_hi"], [f"{p}_xn"]),
        helper.make_node("MatMul", [f"{p}_xn", f"{p}_w_num"], [f"{p}_num"]),
    ]
    total, offset = f"{p}_num", n_num
    for j, card in enumerate(model.cards):
        c = f"{p}_cat{j}"
        inits += [_int64(f"{c}_idx", [int(model.cat_idx[j])]), tensor(f"{c}_max", float(card - 1)),
                  tensor(f"{c}_zero", 0.0), tensor(f"{c}_w", w[offset:offset + card])]
        nodes += [
            helper.make_node("Gather", ["features", f"{c}_idx"], [f"{c}_x"], axis=1),
            helper.make_node("Clip", [f"{c}_x", f"{c}_zero", f"{c}_max"], [f"{c}_clipped"]),
            helper.make_node("Cast", [f"{c}_clipped"], [f"{c}_code"], to=TensorProto.INT64),
            helper.make_node("Gather", [f"{c}_w", f"{c}_code"], [f"{c}_term"], axis=0),
            helper.make_node("Add", [total, f"{c}_term"], [f"{c}_sum"]),
        ]
        total, offset = f"{c}_sum", offset + card
    nodes.append(helper.make_node("Add", [total, f"{p}_bias"], [f"{p}_logit"]))
    return nodes, inits


def risk_graph(members, width, platt=(1.0, 0.0), name="delivery_risk"):
    """ONNX graph: sigmoid(a · mean of the members' logits + b); a member is a fitted tree model (with
    `columns_`) or a delivery.LinearRisk."""
    nodes, inits, logits = [], [], []
    for k, m in enumerate(members):
        prefix = f"m{k}"
        part, part_inits = _linear_logit(m, prefix) if hasattr(m, "linear") else _tree_logit(m, prefix)
        nodes += part
        inits += part_inits
        logits.append(f"{prefix}_logit")
    a, b = platt
    nodes += [
        helper.make_node("Sum", logits, ["logit_sum"]),
        helper.make_node("Mul", ["logit_sum", "scale"], ["scaled_logit"]),
        helper.make_node("Add", ["scaled_logit", "platt_b"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["probability"]),
    ]
    inits += [tensor("scale", [a / len(members)]), tensor("platt_b", [b])]
    return helper.make_graph(nodes, name, [features_input(width)], [float_output("probability")], inits)


def tree_logits(model, X):
    """The raw logit of the trees for manifest-order float32 rows X, from sklearn (float64 arithmetic)."""
    return model.decision_function(np.asarray(X, dtype=np.float32)[:, model.columns_].astype(np.float64))

