Pon un temporizador de diez minutos.
¿Qué tiempo hará mañana?
Apaga las luces de la cocina.
Añade leche y huevos a la lista de la compra.
¿Dónde está la estación de tren?
Quisiera una taza de café, por favor.
Los niños están durmiendo arriba.
La cena estará lista a las siete.
¿Quieres ver una película esta noche?
Mi hermana vive en un pueblo pequeño cerca del mar.
Por favor, cierra la ventana, hace frío.
El baño está al final del pasillo.
Tenemos que comprar pan para el desayuno.
¿Cuánto tiempo debo hervir los huevos?
La cita con el médico es el lunes por la mañana.
Muchas gracias por tu ayuda.
Está lloviendo, lleva un paraguas.
Tengo dos hermanos y una hermana.
La música está demasiado alta.
¿Puedes ayudarme a llevar estas bolsas?
El perro quiere salir a pasear.
Nuestros invitados llegan el viernes por la tarde.
Buenos días, ¿dormiste bien?
La sopa necesita más sal.
Ahora voy al supermercado.
La reunión empieza en quince minutos.
¿Dónde pusiste las llaves?
La casa es muy bonita.
Recuérdame llamar a mi madre mañana.
Vamos a la playa el sábado.
