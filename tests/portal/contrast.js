/* The colours an element has now (under focus or hover), as tests/portal/test_accessibility.py checks them. */
(el) => {
  const rgba = (s) => { const m = s.match(/[\d.]+/g) || ['0', '0', '0', '0'];
    return m.map(Number).concat(m.length === 3 ? [1] : []); };
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (node) => { for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor); if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const style = getComputedStyle(el);
  const bg = background(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const surround = background(el.parentElement || el);
  return {
    what: el.tagName.toLowerCase() + ' « ' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + ' »',
    text: ratio(rgba(style.color), bg),
    large: parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700),
    drawn: outlined || shadow,
    outline: outlined ? ratio(rgba(style.outlineColor), surround) : null,
  };
}
