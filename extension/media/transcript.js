// Transcript webview: renders words (kept / cut, with why), keeps a word selection (click, Shift+click,
// arrows), sends cut/restore to the extension and seeks the player. State survives hide and reload.
(() => {
  const vscode = acquireVsCodeApi();
  const state = vscode.getState() ?? {};
  const main = document.getElementById('sources');
  const player = document.getElementById('player');
  const status = document.getElementById('status');
  const problem = document.getElementById('problem');
  /** @type {{name: string, mediaUri: string, words: {index:number,start:number,end:number,text:string,kept:boolean,reasons:string[],cutByUser:boolean,segment:number,speaker?:string}[]}[]} */
  let sources = [];
  let current = state.source ?? '';
  let anchor = state.anchor ?? -1;
  let focus = state.focus ?? -1;

  const save = () =>
    vscode.setState({
      ...vscode.getState(),
      runDir: state.runDir,
      source: current,
      anchor,
      focus,
      scroll: main.scrollTop,
    });

  const fmt = (t) => {
    const m = Math.floor(t / 60);
    return `${m}:${(t - m * 60).toFixed(2).padStart(5, '0')}`;
  };

  function selected() {
    if (anchor < 0 || focus < 0) return [];
    const [a, b] = anchor <= focus ? [anchor, focus] : [focus, anchor];
    const out = [];
    for (let i = a; i <= b; i++) out.push(i);
    return out;
  }

  function render() {
    main.textContent = '';
    for (const src of sources) {
      const section = document.createElement('section');
      const h = document.createElement('h2');
      h.textContent = src.name;
      section.append(h);
      let p;
      let seg = -1;
      for (const w of src.words) {
        if (w.segment !== seg) {
          seg = w.segment;
          p = document.createElement('p');
          if (w.speaker) {
            const s = document.createElement('span');
            s.className = 'speaker';
            s.textContent = `${w.speaker}: `;
            p.append(s);
          }
          section.append(p);
        }
        const el = document.createElement('span');
        el.className = `word ${w.kept ? 'kept' : 'cut'}${w.cutByUser ? ' user' : ''}${w.end > w.start ? '' : ' instant'}`;
        el.dataset.source = src.name;
        el.dataset.index = String(w.index);
        el.dataset.start = String(w.start);
        el.dataset.end = String(w.end);
        el.textContent = w.text;
        el.title = `${fmt(w.start)}–${fmt(w.end)}${w.end > w.start ? '' : ' (no duration)'}${w.kept ? '' : `\ncut: ${w.reasons.join('; ') || 'no reason recorded'}`}`;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-pressed', 'false');
        el.setAttribute(
          'aria-label',
          `${w.text}, ${fmt(w.start)}, ${w.kept ? 'kept' : `cut: ${w.reasons.join('; ')}`}`,
        );
        p.append(el, ' ');
      }
      main.append(section);
    }
    paintSelection();
  }

  function paintSelection() {
    const sel = new Set(selected());
    for (const el of main.querySelectorAll('.word')) {
      const on = el.dataset.source === current && sel.has(Number(el.dataset.index));
      el.classList.toggle('selected', on);
      el.setAttribute('aria-pressed', String(on));
      el.classList.toggle('focus', el.dataset.source === current && Number(el.dataset.index) === focus);
    }
    const n = sel.size;
    status.textContent = n ? `${n} word${n > 1 ? 's' : ''} selected` : '';
    save();
  }

  function word(src, i) {
    return sources.find((s) => s.name === src)?.words.find((w) => w.index === i);
  }

  function useSource(name) {
    const src = sources.find((s) => s.name === name);
    if (!src || current === name) return;
    current = name;
    player.src = src.mediaUri;
  }

  function seek(t) {
    if (!player.src && sources[0]) useSource(sources[0].name);
    if (Number.isFinite(t)) player.currentTime = t;
  }

  function send(type) {
    const indices = selected();
    if (!indices.length || !current) return;
    status.textContent = type === 'cut' ? 'Cutting…' : 'Restoring…';
    vscode.postMessage({ type, source: current, indices });
  }

  main.addEventListener('click', (e) => {
    const el = e.target.closest('.word');
    if (!el) return;
    useSource(el.dataset.source);
    const i = Number(el.dataset.index);
    if (e.shiftKey && anchor >= 0) focus = i;
    else anchor = focus = i;
    const w = word(current, i);
    if (w) seek(w.start);
    main.focus();
    paintSelection();
  });

  main.addEventListener('keydown', (e) => {
    const src = sources.find((s) => s.name === current) ?? sources[0];
    if (!src) return;
    if (!current) useSource(src.name);
    const last = src.words.length - 1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = Math.max(0, Math.min(last, (focus < 0 ? -1 : focus) + (e.key === 'ArrowRight' ? 1 : -1)));
      focus = next;
      if (!e.shiftKey) anchor = next;
      const w = word(current, focus);
      if (w) seek(w.start);
      main
        .querySelector(`.word[data-source="${CSS.escape(current)}"][data-index="${focus}"]`)
        ?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Delete' || e.key === 'Backspace' || e.key === 'x') send('cut');
    else if (e.key === 'Insert' || e.key === 'r') send('restore');
    else if (e.key === 'Enter' || e.key === ' ') {
      const w = word(current, focus);
      if (w) seek(w.start);
      if (player.paused) void player.play().catch(() => {});
      else player.pause();
    } else if (e.key === 'Escape') anchor = focus = -1;
    else return;
    e.preventDefault();
    paintSelection();
  });

  document.getElementById('cut').addEventListener('click', () => send('cut'));
  document.getElementById('restore').addEventListener('click', () => send('restore'));
  document.getElementById('rules').addEventListener('click', () => vscode.postMessage({ type: 'openRules' }));
  main.addEventListener('scroll', () => save(), { passive: true });

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'data') {
      state.runDir = m.runDir ?? state.runDir;
      sources = m.sources;
      problem.hidden = !m.problem;
      problem.textContent = m.problem ?? '';
      document.body.dataset.rules = m.rulesFile;
      const keep = current;
      current = '';
      useSource(sources.some((s) => s.name === keep) ? keep : (sources[0]?.name ?? ''));
      render();
      if (state.scroll) main.scrollTop = state.scroll;
      status.textContent = status.textContent.endsWith('…') ? 'Updated' : status.textContent;
    } else if (m.type === 'seek') seek(m.time);
  });

  vscode.postMessage({ type: 'ready' });
})();
