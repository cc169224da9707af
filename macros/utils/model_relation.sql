{#- A model's relation as the manifest resolves it (database, schema and alias after
    generate_schema_name and the target), for SQL that reads the model without a ref(): tests
    that must not depend on it, or that need its schema. Before execution (parse) the SQL never
    runs, so a placeholder is returned. -#}
{% macro model_relation(model_name) -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) if execute else none -%}
    {%- if node is none -%}
        {{ return(api.Relation.create(identifier=model_name)) }}
    {%- endif -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema,
                                  identifier=node.alias)) }}
{%- endmacro %}
