// Shows when the page was loaded, in the reader's own time zone.
const clock = document.getElementById("clock");
if (clock) {
  const time = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "medium" });
  clock.textContent = `This page was loaded on ${time.format(new Date())}.`;
}
