/* The map in French and usable from the keyboard (RGAA 1.1, 7.1, 10.7, 12.8).
   datasette-cluster-map makes markers with no name, clusters that only the mouse opens, and
   English controls (« Zoom in », « Showing … of … », « load all »). Leaflet is loaded later by
   that plugin: its global `L` is caught as it is defined, before any map or marker exists. */
(function () {
  "use strict";
  const textOf = (html) => {
    const box = document.createElement("div");
    box.innerHTML = typeof html === "string" ? html : "";
    const strong = box.querySelector("strong");
    return (strong ? strong.textContent : box.textContent).trim().slice(0, 200);
  };
  const onEnter = (el, act) => el.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); act(); }
  });

  function patch(L) {
    if (!L || !L.Marker || L.__glaneur) return;
    L.__glaneur = true;
    L.Control.Zoom.prototype.options.zoomInTitle = "Zoom avant";
    L.Control.Zoom.prototype.options.zoomOutTitle = "Zoom arrière";
    const bindPopup = L.Marker.prototype.bindPopup;
    L.Marker.prototype.bindPopup = function (content, options) {
      const name = textOf(content) || "Lieu sur la carte";
      this.options.title = name;
      this.options.alt = name;
      this.on("add", () => {
        const icon = this._icon;
        if (!icon || icon.__glaneur) return;
        icon.__glaneur = true;
        icon.setAttribute("role", "button");
        icon.setAttribute("aria-label", name + " (Entrée pour la fiche)");
        onEnter(icon, () => this.openPopup());
      });
      return bindPopup.call(this, content, options);
    };
  }

  let caught;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return caught; },
    // Leaflet's UMD assigns an empty `L` and fills it at once: patched once that code has run.
    set(value) { caught = value; queueMicrotask(() => patch(value)); },
  });

  const french = (root) => {
    root.querySelectorAll(".marker-cluster:not([aria-label])").forEach((cluster) => {
      const count = cluster.textContent.trim();
      cluster.setAttribute("role", "button");
      cluster.setAttribute("aria-label", count + " lieux regroupés (Entrée pour zoomer)");
      onEnter(cluster, () => cluster.click());
    });
    root.querySelectorAll(".leaflet-container:not([aria-label])").forEach((map) => {
      map.setAttribute("role", "region");
      map.setAttribute("aria-label", "Carte (les mêmes lignes sont listées sous la carte)");
    });
    root.querySelectorAll(".leaflet-control-zoom-in, .leaflet-control-zoom-out").forEach((a) => {
      const name = a.classList.contains("leaflet-control-zoom-in") ? "Zoom avant" : "Zoom arrière";
      a.setAttribute("title", name);
      a.setAttribute("aria-label", name);
    });
    root.querySelectorAll("button.cluster-map-button").forEach((button) => {
      const text = { "load all": "tout charger", "pause": "pause" }[button.textContent.trim()];
      if (text && button.textContent !== text) button.textContent = text;
    });
    root.querySelectorAll(".leaflet-container").forEach((map) => {  // the plugin's progress line follows the map
      const first = map.nextElementSibling && map.nextElementSibling.firstChild;
      if (first && first.nodeType === 3 && /^Showing /.test(first.nodeValue)) {
        first.nodeValue = first.nodeValue.replace(/^Showing (.+?) of (.+?)( \(.+?\))? $/, "$1 lieux affichés sur $2$3 ");
      }
    });
  };
  new MutationObserver(() => french(document)).observe(document.documentElement, { childList: true, subtree: true });
})();
