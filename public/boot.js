// Loads the wasm app. Trunk writes the hashed file names into this script tag's data
// attributes (Trunk.toml: pattern_script); a file, not an inline script, so the CSP needs no
// 'unsafe-inline'. Relative names resolve against the page, so any sub-path works.
const boot = document.getElementById("hazard-lab-boot");
const js = new URL(boot.dataset.js, document.baseURI).href;
const wasmUrl = new URL(boot.dataset.wasm, document.baseURI).href;
const bindings = await import(js);
const wasm = await bindings.default({ module_or_path: wasmUrl });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));

// Offline after the first visit (public/sw.js, copied to the site root so its scope is the
// app's folder). Refused registrations (file://, private modes) leave the app as it is.
if ("serviceWorker" in navigator && !new URLSearchParams(location.search).has("bench")) {
  navigator.serviceWorker.register(new URL("sw.js", document.baseURI)).catch(() => {});
}
