"""Every clause at its thresholds, through the product path (durable_rules)."""
import pytest

from tests.engine.rules.conftest import passed

GOOD_TOMSK_MENTOR = dict(years_as_head=5, contest_level="regional", contest_result="winner",
                         efficiency_percent=81, has_mentorship_certificate=True)


class TestMentorEligibilityTomsk:
    """003 §3.5 (all four) and §3.4 (two years)."""

    def test_all_four_met_at_the_thresholds(self, decide):
        decision = decide("mentor_eligibility_tomsk", **GOOD_TOMSK_MENTOR)
        assert decision["verdict"] == "eligible"
        assert decision["outputs"] == {"term_months": 24}
        assert all(c["passed"] is True and c["source"] == "003 §3.5" for c in decision["criteria"])

    @pytest.mark.parametrize(("years", "expected"), [(5, True), (4.9999, False), (4, False), (0, False), (30, True)])
    def test_five_years_as_head(self, decide, years, expected):
        decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "years_as_head": years})
        assert passed(decision, "head_experience") is expected
        assert decision["verdict"] == ("eligible" if expected else "not_eligible")

    @pytest.mark.parametrize(("percent", "expected"), [(81, True), (80, False), (80.9999, False), (100, True), (50, False)])
    def test_efficiency_81_to_100(self, decide, percent, expected):
        decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "efficiency_percent": percent})
        assert passed(decision, "efficiency_positive") is expected

    @pytest.mark.parametrize("level", ["municipal", "regional", "federal"])
    @pytest.mark.parametrize("result", ["winner", "prize_winner", "laureate", "participant"])
    def test_contest_regional_or_federal_winner_prize_winner_or_laureate(self, decide, level, result):
        decision = decide("mentor_eligibility_tomsk",
                          **{**GOOD_TOMSK_MENTOR, "contest_level": level, "contest_result": result})
        assert passed(decision, "contest_success") is (level != "municipal" and result != "participant")

    def test_no_certificate(self, decide):
        decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "has_mentorship_certificate": False})
        assert decision["verdict"] == "not_eligible"
        assert decision["outputs"]["term_months"] is None

    def test_missing_fact_gives_insufficient_data_and_null(self, decide):
        facts = dict(GOOD_TOMSK_MENTOR)
        del facts["efficiency_percent"]
        decision = decide("mentor_eligibility_tomsk", **facts)
        assert decision["verdict"] == "insufficient_data"
        assert passed(decision, "efficiency_positive") is None
        assert "Не указан результат оценки эффективности" in decision["criteria"][2]["message"]

    def test_a_failed_criterion_decides_even_with_missing_data(self, decide):
        decision = decide("mentor_eligibility_tomsk", years_as_head=2)
        assert decision["verdict"] == "not_eligible"

    def test_wrong_type_counts_as_unusable_not_as_text(self, decide):
        decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "years_as_head": "10"})
        assert passed(decision, "head_experience") is None
        assert decision["verdict"] == "insufficient_data"
        assert decision["fact_problems"] == ["факт «years_as_head»: ожидается число, получено: строка «10»"]

    def test_explanation_names_values_and_clause(self, decide):
        decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "years_as_head": 4})
        assert decision["criteria"][0]["message"] == (
            "Стаж в должности руководителя — 4 года, а требуется не менее 5 лет (003 §3.5).")


class TestNetworkMentorYakutsk:
    """004 II.2 and III.2."""

    GOOD = dict(experience_years=3, high_result_directions=["математика"], communication_skills=True,
                ready_to_share=True)

    @pytest.mark.parametrize(("years", "expected"), [(3, True), (2.9999, False), (2, False)])
    def test_three_years(self, decide, years, expected):
        decision = decide("network_mentor_yakutsk", **{**self.GOOD, "experience_years": years})
        assert passed(decision, "experience") is expected
        assert decision["outputs"] == {}  # the term is the pack's (mentor_term: the academic year, 004 III.2), not 12 months

    @pytest.mark.parametrize(("directions", "expected"), [([], False), (["физика"], True), (["a", "b"], True)])
    def test_one_or_more_directions(self, decide, directions, expected):
        decision = decide("network_mentor_yakutsk", **{**self.GOOD, "high_result_directions": directions})
        assert passed(decision, "high_results") is expected

    def test_directions_must_be_a_list_of_strings(self, decide):
        decision = decide("network_mentor_yakutsk", **{**self.GOOD, "high_result_directions": "физика"})
        assert passed(decision, "high_results") is None


class TestMenteeCategoryTomsk:
    """003 §3.6.1 and §3.7."""

    HEAD = dict(in_management_reserve=False, is_head=True, months_as_head=36, school_low_results=False,
                efficiency_percent=70)

    @pytest.mark.parametrize(("percent", "expected"), [(50, True), (51, False), (50.0001, False), (0, True)])
    def test_efficiency_50_or_lower(self, decide, percent, expected):
        decision = decide("mentee_category_tomsk", **{**self.HEAD, "efficiency_percent": percent})
        assert passed(decision, "low_efficiency_head") is expected
        assert decision["outputs"]["roadmap"] == (4 if expected else None)

    @pytest.mark.parametrize(("months", "expected"), [(0, True), (12, True), (13, False)])
    def test_newly_appointed_parameter_default_12_months(self, decide, months, expected):
        decision = decide("mentee_category_tomsk", **{**self.HEAD, "months_as_head": months})
        assert passed(decision, "new_head") is expected

    def test_several_categories_are_all_listed_and_routed_by_priority(self, decide):
        decision = decide("mentee_category_tomsk", **{**self.HEAD, "months_as_head": 3, "school_low_results": True,
                                                      "efficiency_percent": 40})
        assert decision["outputs"]["categories"] == ["new_head", "low_results_school_head", "low_efficiency_head"]
        assert decision["outputs"]["roadmap"] == 3
        assert decision["outputs"]["roadmap_id"] == "tomsk_low_results_school"

    def test_reservist_who_is_not_a_head(self, decide):
        decision = decide("mentee_category_tomsk", in_management_reserve=True, is_head=False)
        assert decision["verdict"] == "categorized"
        assert decision["outputs"] == {"categories": ["reservist"], "roadmap": 2, "roadmap_id": "tomsk_reservist"}

    def test_nobody(self, decide):
        decision = decide("mentee_category_tomsk", in_management_reserve=False, is_head=False)
        assert decision["verdict"] == "not_categorized"
        assert decision["outputs"]["categories"] == []

    def test_unknown_higher_priority_category_leaves_roadmap_undecided(self, decide):
        decision = decide("mentee_category_tomsk", **{**self.HEAD, "months_as_head": 3, "school_low_results": None})
        assert decision["verdict"] == "categorized"
        assert decision["outputs"]["roadmap"] is None
        assert decision["outputs"]["categories"] is None

    def test_months_must_be_whole(self, decide):
        decision = decide("mentee_category_tomsk", **{**self.HEAD, "months_as_head": 2.5})
        assert passed(decision, "new_head") is None


class TestMentorBonusTomsk:
    """003 §9.3."""

    GOOD = dict(roadmap_fulfilled=True, reports_submitted=True, attended_mentor_events=True, analytical_materials=True)

    @pytest.mark.parametrize(("count", "salaries"), [(0, 0), (1, 3), (2, 4), (3, 5), (7, 5)])
    def test_salaries_by_mentee_count(self, decide, count, salaries):
        decision = decide("mentor_bonus_tomsk", mentee_count=count, **self.GOOD)
        assert decision["outputs"]["bonus_salaries"] == salaries
        assert decision["verdict"] == ("no_bonus" if count == 0 else "bonus_due")

    @pytest.mark.parametrize(("ground", "code"), [
        ("roadmap_fulfilled", "roadmap_not_fulfilled"), ("reports_submitted", "no_reports"),
        ("attended_mentor_events", "no_participation_in_mentor_events"),
        ("analytical_materials", "no_analytical_materials")])
    def test_each_revocation_ground_asks_a_person_to_decide(self, decide, ground, code):
        decision = decide("mentor_bonus_tomsk", mentee_count=2, **{**self.GOOD, ground: False})
        assert decision["verdict"] == "revocation_possible"
        assert decision["outputs"] == {"bonus_salaries": 4, "revocation_grounds": [code]}

    def test_all_grounds(self, decide):
        decision = decide("mentor_bonus_tomsk", mentee_count=1, **{k: False for k in self.GOOD})
        assert len(decision["outputs"]["revocation_grounds"]) == 4
        assert decision["outputs"]["bonus_salaries"] == 3

    def test_missing_count(self, decide):
        decision = decide("mentor_bonus_tomsk", **self.GOOD)
        assert decision["verdict"] == "insufficient_data"
        assert decision["outputs"]["bonus_salaries"] is None
