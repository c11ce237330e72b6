import { localModelFolder } from '../../src/core/engine/localModelFolder';
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';

/** Greedy decoding with transformers.js' own generate(): the reference the engine must match token for token. */
export async function transformersJsGreedy(
  modelDir: string,
  dtype: 'fp32' | 'q8' | 'q4',
  prompts: number[][],
  maxNewTokens: number,
): Promise<number[][]> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const model = await AutoModelForCausalLM.from_pretrained(localModelFolder(modelDir), {
    dtype,
    local_files_only: true,
    device: 'cpu',
  });
  try {
    const out: number[][] = [];
    for (const ids of prompts) {
      const input = new Tensor(
        'int64',
        BigInt64Array.from(ids, (x) => BigInt(x)),
        [1, ids.length],
      );
      const seq = (await model.generate({
        input_ids: input,
        max_new_tokens: maxNewTokens,
        do_sample: false,
      })) as Tensor;
      out.push(Array.from(seq.data as BigInt64Array, Number).slice(ids.length));
    }
    return out;
  } finally {
    await model.dispose();
  }
}
