// The fallback QR decoder, for browsers without a BarcodeDetector that reads QR codes (Firefox,
// Safari before 17, Chrome on Linux and Windows): jsQR, pure JavaScript, so nothing is fetched and
// no WebAssembly is needed, not even from file://. It offers the one method of BarcodeDetector
// the page uses, detect(), on a video frame or an image.
import jsQR from "jsqr";

// Frames are scaled down to this many pixels on their longer side: a card's code fills a good part
// of the frame when it is held up to the camera, and a smaller image is read several times faster.
const LONGEST_SIDE = 720;

class QrDecoder {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
  }

  /** [{rawValue}] for the QR code in `source` (a video, an image, a canvas), or [] when none is read. */
  async detect(source) {
    const width = source.videoWidth || source.naturalWidth || source.width;
    const height = source.videoHeight || source.naturalHeight || source.height;
    if (!width || !height) return [];
    const scale = Math.min(1, LONGEST_SIDE / Math.max(width, height));
    this.canvas.width = Math.round(width * scale);
    this.canvas.height = Math.round(height * scale);
    this.context.drawImage(source, 0, 0, this.canvas.width, this.canvas.height);
    const pixels = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    return code ? [{ rawValue: code.data, format: "qr_code" }] : [];
  }
}

globalThis.WelfareQrDecoder = QrDecoder;
