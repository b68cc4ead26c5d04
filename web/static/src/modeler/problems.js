/* The last server check's problems by element id; entries of the properties panel show them. */
export default function NastavnikProblems(eventBus) {
  let byElement = {};
  this.set = function(problems) {
    byElement = {};
    (problems || []).forEach(function(p) {
      if (p.element_id) { (byElement[p.element_id] = byElement[p.element_id] || []).push(p.message); }
    });
    eventBus.fire('nastavnik.problems.changed', {});
  };
  this.of = function(id) { return byElement[id] || []; };
}
NastavnikProblems.$inject = ['eventBus'];
