/* The last server check's problems by element id; entries of the properties panel show them. */
export default function NastavnikProblems(eventBus) {
  let byElement = {};
  let checked = false;  // nothing to say about an element before the first check
  this.set = function(problems) {
    byElement = {};
    checked = true;
    (problems || []).forEach(function(p) {
      if (p.element_id) { (byElement[p.element_id] = byElement[p.element_id] || []).push(p.message); }
    });
    eventBus.fire('nastavnik.problems.changed', {});
  };
  this.of = function(id) { return byElement[id] || []; };
  this.checked = function() { return checked; };
}
NastavnikProblems.$inject = ['eventBus'];
