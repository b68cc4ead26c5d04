from engine.demo.world import DEMO_PASSWORD

def test_explore(demo_page):
    page = demo_page.page
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.log('CSPV', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample));")
    page.on("console", lambda m: print("CONSOLE", m.text[:300]) if m.text.startswith("CSPV") else None)
    demo_page.login("methodologist", DEMO_PASSWORD)
    for pid in ("pair_formation",):
        demo_page.goto(f"/methodology/workflows/{pid}/1")
        page.wait_for_selector("#modeler[data-modeler-state]", timeout=30000)
        print(pid, page.get_attribute("#modeler", "data-modeler-state"), page.get_attribute("#modeler", "data-import-warnings"), page.inner_text("#modeler-status"))
        page.evaluate("""() => { const m = window.nastavnikModeler; m.get('selection').select(m.get('elementRegistry').get('Task_mentee_categories')); }""")
        page.wait_for_timeout(500)
        page.screenshot(path=f"/tmp/explore/{pid}.png")
    print(demo_page.console_errors)
