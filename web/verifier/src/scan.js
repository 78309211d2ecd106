// Reading a QR code with the camera: the browser's BarcodeDetector where it reads QR codes, else
// the bundled jsQR decoder (assets/qr-decoder.js), loaded only then: it is most of the site's weight.
let decoder = null;

function loadDecoder() {
  if (globalThis.WelfareQrDecoder) return Promise.resolve(globalThis.WelfareQrDecoder);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = document.querySelector("script[data-decoder]").dataset.decoder;
    script.onload = () => resolve(globalThis.WelfareQrDecoder);
    script.onerror = () => reject(new DOMException("decoder", "NotFoundError"));
    document.head.append(script);
  });
}

/** A BarcodeDetector for QR codes: the browser's own, else the bundled one. */
export async function qrDetector() {
  if (!decoder) {
    let Detector = globalThis.BarcodeDetector;
    try {
      if (!Detector || !(await Detector.getSupportedFormats()).includes("qr_code")) Detector = null;
    } catch { Detector = null; }
    decoder = new (Detector || (await loadDecoder()))({ formats: ["qr_code"] });
  }
  return decoder;
}

/** The text of the first QR code the back camera sees, shown in `video`; null when `stop` is pressed. */
export async function scanQrCode(video, stop) {
  const detector = await qrDetector();
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  video.srcObject = stream;
  video.hidden = stop.hidden = false;
  let stopped = false;
  stop.onclick = () => { stopped = true; };
  try {
    await video.play();
    while (!stopped) {
      if (video.readyState >= 2) {
        const codes = await detector.detect(video);
        if (codes.length) return codes[0].rawValue;
      }
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
    video.hidden = stop.hidden = true;
  }
}
