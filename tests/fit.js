() => {
  // A field label (th of a facts table) broken over lines; a table cell whose text is cut off (wider than its box);
  // an amount past the screen's edge.
  const out = [];
  const lines = (el) => {
    const range = document.createRange(); range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  };
  for (const th of document.querySelectorAll('table.gs-facts th')) {
    if (th.getBoundingClientRect().width > 0 && lines(th) > 1) out.push(`label broken over ${lines(th)} lines: ${th.innerText.trim()}`);
  }
  for (const cell of document.querySelectorAll('table td, table th')) {
    const s = getComputedStyle(cell);
    if (cell.getBoundingClientRect().width === 0 || s.overflowX === 'visible') continue;
    if (cell.scrollWidth > cell.clientWidth + 1) out.push(`cell cut off (${cell.scrollWidth} > ${cell.clientWidth} px): ${cell.innerText.trim().slice(0, 30)}`);
  }
  // An amount beyond the screen's right edge: its table is wider than a phone, so the number shows cut at the edge
  // ("39,00") until the visitor scrolls the table sideways.
  for (const cell of document.querySelectorAll('table td.gs-num, table th.gs-num')) {
    const box = cell.getBoundingClientRect();
    if (cell.closest('table.gs-stack thead')) continue;  // on a phone its labels stand in each cell instead
    if (box.width > 0 && box.right > document.documentElement.clientWidth + 1 && cell.innerText.trim())
      out.push(`amount beyond the screen's edge (${Math.round(box.right)} > ${document.documentElement.clientWidth} px): ${cell.innerText.trim().slice(0, 30)}`);
  }
  return out;
}
