"""Dynamic int8 quantization of the exported fp32 graph, in the pattern onnxruntime's quantize_dynamic writes
(its Python package is not installable here): every MatMul with a large fp32 weight becomes
DynamicQuantizeLinear(A) -> MatMulInteger(A_u8, W_s8) -> Cast -> Mul(scale_A * scale_W[col]),
and the embedding Gather reads int8 rows and rescales them. Weights are quantized symmetrically per output column.
Usage: python3 quantize.py IN.onnx OUT.onnx"""
import os, sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

MIN_ELEMENTS = 4096


def quantize(src, dst):
    model = onnx.load(src)
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    large = {n for n, i in weights.items() if i.data_type == TensorProto.FLOAT and len(i.dims) == 2 and np.prod(i.dims) >= MIN_ELEMENTS}
    done, added, nodes = set(), [], []

    def int8_weight(name):
        if name in done:
            return
        w = numpy_helper.to_array(weights[name])
        scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
        added.extend([
            numpy_helper.from_array(np.clip(np.round(w / scale), -127, 127).astype(np.int8), name + '_int8'),
            numpy_helper.from_array(scale.astype(np.float32), name + '_scale'),
            numpy_helper.from_array(np.zeros(w.shape[1], np.int8), name + '_zero'),
        ])
        done.add(name)

    for k, node in enumerate(graph.node):
        t = f'quant{k}_'
        if node.op_type == 'MatMul' and node.input[1] in large:
            w = node.input[1]
            int8_weight(w)
            nodes += [
                helper.make_node('DynamicQuantizeLinear', [node.input[0]], [t + 'a', t + 'a_scale', t + 'a_zero']),
                helper.make_node('MatMulInteger', [t + 'a', w + '_int8', t + 'a_zero', w + '_zero'], [t + 'int32']),
                helper.make_node('Cast', [t + 'int32'], [t + 'float'], to=TensorProto.FLOAT),
                helper.make_node('Mul', [t + 'a_scale', w + '_scale'], [t + 'scale']),
                helper.make_node('Mul', [t + 'float', t + 'scale'], [node.output[0]]),
            ]
        elif node.op_type == 'Gather' and node.input[0] in large:
            axis = next(helper.get_attribute_value(a) for a in node.attribute if a.name == 'axis')
            if axis != 1:
                raise ValueError(f'embedding Gather on axis {axis}; expected the [hidden, vocab] layout (axis 1)')
            w = node.input[0]
            int8_weight(w)
            nodes += [
                helper.make_node('Gather', [w + '_int8', node.input[1]], [t + 'rows'], axis=1),
                helper.make_node('Cast', [t + 'rows'], [t + 'float'], to=TensorProto.FLOAT),
                helper.make_node('Gather', [w + '_scale', node.input[1]], [t + 'scale'], axis=0),
                helper.make_node('Mul', [t + 'float', t + 'scale'], [node.output[0]]),
            ]
        else:
            nodes.append(node)
    kept = [i for i in graph.initializer if i.name not in done]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return len(done)


if __name__ == '__main__':
    n = quantize(sys.argv[1], sys.argv[2])
    print(f'quantized {n} weights -> {sys.argv[2]} ({os.path.getsize(sys.argv[2])} bytes)')
