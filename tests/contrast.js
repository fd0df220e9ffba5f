async () => {
  // colours as a visitor sees them: after the transitions a mode switch starts (not an infinite animation)
  await Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => null)));
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {r:p[0], g:p[1], b:p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r,g,b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b); };
  const blend = (top, under) => ({r: top.r*top.a + under.r*(1-top.a), g: top.g*top.a + under.g*(1-top.a), b: top.b*top.a + under.b*(1-top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none' && !s.backgroundImage.startsWith('url(')) return null;  // gradient: unknown
      const c = parse(s.backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r:255, g:255, b:255, a:1};
    for (const layer of layers.reverse()) bg = blend(layer, bg);
    return bg;
  };
  const out = [];
  for (const el of document.querySelectorAll('a, button, [role=button], summary, label.md-search__icon, input[type=submit]')) {
    const rect = el.getBoundingClientRect(); const s = getComputedStyle(el);
    if (rect.width < 1 || rect.height < 1 || rect.right <= 0 || rect.left >= innerWidth || s.visibility !== 'visible' || el.closest('[hidden]')) continue;
    let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    if (o === 0) continue;
    const text = (el.innerText || '').trim(); if (!text) continue;
    const fg = parse(s.color); const bg = background(el); if (!fg || !bg) continue;
    fg.a *= o;  // a faded control (opacity) is drawn lighter
    const mixed = blend(fg, bg);
    const [hi, lo] = [lum(mixed), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) out.push(`${el.tagName.toLowerCase()} “${text.slice(0, 30)}” ${ratio.toFixed(2)}:1 < ${need} (${s.color} on ${JSON.stringify(bg)})`);
  }
  return out;
}
