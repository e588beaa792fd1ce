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
