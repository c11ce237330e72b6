'use strict';
// Infill's VSIX leaves out sharp (image decoding on native libvips, 7-20 MB per platform). transformers.js requires
// it when it loads, for its image processors; Infill only uses transformers.js's tokenizers and chat templates. This
// stand-in keeps that require working and fails clearly if anything ever asks it to decode an image.
function sharp() {
  throw new Error('Infill does not include image processing (sharp): its models read text only');
}
module.exports = sharp;
