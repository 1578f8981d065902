// Jest's node environment runs tests in a separate realm, so typed arrays made in a test fail
// onnxruntime-node's `instanceof Float32Array` checks (microsoft/onnxruntime#16622). Share the host's.
const { TestEnvironment } = require('jest-environment-node');

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'Float32Array',
      'Float64Array',
      'Int8Array',
      'Int16Array',
      'Int32Array',
      'BigInt64Array',
      'Uint8Array',
      'Uint16Array',
      'Uint32Array',
      'BigUint64Array',
      'ArrayBuffer',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = SharedTypedArraysEnvironment;
