"""`{% bar_chart result %}`: a question's results as an accessible SVG bar chart (consultations.charts)."""

from django import template

from consultations.charts import bar_chart as chart_for

register = template.Library()


@register.inclusion_tag("consultations/_chart.html")
def bar_chart(result) -> dict:
    return {"chart": chart_for(result), "chart_id": f"chart-q{result.question.pk}", "title": result.question.text}
