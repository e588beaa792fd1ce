// Small enhancements; every page works without them.
document.addEventListener('click', (event) => {
  const target = event.target.closest('[data-print]');
  if (target) window.print();
});
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});

// A half-typed form (data-draft) is kept in this browser tab, so that a session that expired
// meanwhile, a reload or a crash loses nothing: restored on return, cleared once registered
// (data-draft-clear) or when the user signs out.
const DRAFT = 'yankomas-draft:';
const draftForm = document.querySelector('form[data-draft]');
if (draftForm) {
  const key = DRAFT + draftForm.getAttribute('data-draft');
  const saved = JSON.parse(sessionStorage.getItem(key) || 'null');
  // A form the server sent back with errors holds what was sent: that wins over the draft.
  if (saved && !document.querySelector('.errors')) {
    for (const element of draftForm.elements) {
      if (!element.name || !(element.name in saved)) continue;
      const values = saved[element.name];
      if (element.type === 'checkbox' || element.type === 'radio')
        element.checked = values.includes(element.value);
      else element.value = values[0] ?? '';
    }
    const notice = document.createElement('p');
    notice.className = 'notice';
    notice.setAttribute('role', 'status');
    notice.textContent = 'Isian yang belum tersimpan dipulihkan dari peramban ini.';
    draftForm.before(notice);
  }
  const save = () => {
    const values = {};
    for (const [name, value] of new FormData(draftForm)) (values[name] ??= []).push(String(value));
    // Unchecked boxes are absent from FormData: remember them as empty.
    for (const element of draftForm.elements)
      if (element.name && !(element.name in values)) values[element.name] = [];
    sessionStorage.setItem(key, JSON.stringify(values));
  };
  draftForm.addEventListener('input', save);
  draftForm.addEventListener('change', save);
}
for (const done of document.querySelectorAll('[data-draft-clear]'))
  sessionStorage.removeItem(DRAFT + done.getAttribute('data-draft-clear'));
document.addEventListener('submit', (event) => {
  if (event.target.matches('form.who')) {
    for (const name of Object.keys(sessionStorage))
      if (name.startsWith(DRAFT)) sessionStorage.removeItem(name);
  }
});
