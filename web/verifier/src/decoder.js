// The fallback QR decoder: the BarcodeDetector ponyfill (barcode-detector, ZXing compiled to
// WebAssembly), with the WebAssembly inlined so that nothing is fetched, not even from file://.
import { BarcodeDetector, setZXingModuleOverrides } from "barcode-detector/ponyfill";
import wasm from "zxing-wasm/reader/zxing_reader.wasm";

setZXingModuleOverrides({ wasmBinary: wasm.buffer, locateFile: (path) => path });
globalThis.WelfareQrDecoder = BarcodeDetector;
