"""Demo topics with a short, warm description in Danish, Norwegian Bokmål and English."""

from kreds.demo.spec import I18n

TOPICS: dict[str, tuple[I18n, I18n]] = {
    "grief": (
        {"da": "Sorg", "nb": "Sorg", "en": "Grief"},
        {
            "da": "Når du har mistet et menneske, du holdt af, kan det lette at tale med andre, der kender savnet indefra. Her er der plads til alt det, sorgen rummer, i dit eget tempo.",
            "nb": "Når du har mistet noen du var glad i, kan det lette å snakke med andre som kjenner savnet fra innsiden. Her er det plass til alt sorgen rommer, i ditt eget tempo.",
            "en": "When you have lost someone you loved, it can help to talk with others who know that loss from the inside. There is room here for everything grief brings, at your own pace.",
        },
    ),
    "illness": (
        {"da": "Sygdom", "nb": "Sykdom", "en": "Living with illness"},
        {
            "da": "For dig, der lever med en alvorlig eller langvarig sygdom. I gruppen deler I erfaringer med hverdagen, bekymringerne og det, der trods alt giver kræfter.",
            "nb": "For deg som lever med en alvorlig eller langvarig sykdom. I gruppa deler dere erfaringer med hverdagen, bekymringene og det som tross alt gir krefter.",
            "en": "For you who live with a serious or long-term illness. In the group you share experiences of everyday life, the worries, and what still gives you strength.",
        },
    ),
    "carers": (
        {"da": "Pårørende", "nb": "Pårørende", "en": "Carers"},
        {
            "da": "For dig, der står tæt på et menneske, som er sygt. Som pårørende glemmer man let sig selv. Her er det dig og dine tanker, der er i centrum.",
            "nb": "For deg som står nær et menneske som er sykt. Som pårørende er det lett å glemme seg selv. Her er det du og dine tanker som står i sentrum.",
            "en": "For you who are close to someone who is ill. Carers easily forget themselves; here you and your thoughts come first.",
        },
    ),
    "divorce": (
        {"da": "Skilsmisse", "nb": "Samlivsbrudd", "en": "Divorce and separation"},
        {
            "da": "Et brud vender op og ned på hverdagen, økonomien og forholdet til børn og venner. Mød andre, der står midt i det samme, og find fodfæste sammen.",
            "nb": "Et brudd snur opp ned på hverdagen, økonomien og forholdet til barn og venner. Møt andre som står midt i det samme, og finn fotfeste sammen.",
            "en": "A break-up turns everyday life, money and ties with children and friends upside down. Meet others in the middle of the same and find your footing together.",
        },
    ),
    "loneliness": (
        {"da": "Ensomhed", "nb": "Ensomhet", "en": "Loneliness"},
        {
            "da": "Ensomhed kan ramme alle, i alle aldre. I en lille, fast gruppe kan du blive set og hørt og opdage, at du ikke er den eneste, der har det sådan.",
            "nb": "Ensomhet kan ramme alle, i alle aldre. I en liten, fast gruppe kan du bli sett og hørt og oppdage at du ikke er den eneste som har det slik.",
            "en": "Loneliness can touch anyone, at any age. In a small, steady group you can be seen and heard, and find that you are not the only one who feels this way.",
        },
    ),
    "self_development": (
        {"da": "Selvudvikling", "nb": "Selvutvikling", "en": "Personal growth"},
        {
            "da": "For dig, der gerne vil blive klogere på dig selv og på de mønstre, du går i. Gruppen er et trygt sted at sætte ord på det, du ønsker at ændre.",
            "nb": "For deg som vil bli bedre kjent med deg selv og mønstrene du går i. Gruppa er et trygt sted å sette ord på det du ønsker å endre.",
            "en": "For you who want to understand yourself and your patterns better. The group is a safe place to put into words what you would like to change.",
        },
    ),
    "physical_activity": (
        {"da": "Fysisk aktivitet", "nb": "Fysisk aktivitet", "en": "Physical activity"},
        {
            "da": "Samtalen foregår, mens I går en tur sammen. For dig, der har lettere ved at tale, når kroppen er i bevægelse, eller som gerne vil i gang med at røre dig igen.",
            "nb": "Samtalen foregår mens dere går tur sammen. For deg som lettere snakker når kroppen er i bevegelse, eller som vil komme i gang med å bevege deg igjen.",
            "en": "You talk while you walk together. For you who find it easier to talk when your body is moving, or who would like to get active again.",
        },
    ),
}
